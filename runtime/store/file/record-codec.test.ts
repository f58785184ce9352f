import { describe, expect, it } from '@jest/globals';
import { CorruptLineError, encodeRecord, scanRecords } from './record-codec.js';
import type { StateRecord } from './state-records.js';

const header: StateRecord = { t: 'header', format: 'polyfleet-state', version: 1, rv: 0 };
const txn = (rv: number): StateRecord => ({ t: 'txn', rv, ops: [] });
const bytes = (...parts: string[]) => Buffer.from(parts.join(''));

describe('state file records', () => {
  it('decodes what it encodes, one JSON line each, with line numbers and offsets', () => {
    const lines = [encodeRecord(header), encodeRecord(txn(1))];
    expect(JSON.parse(lines[0] ?? '')).toEqual({ c: expect.stringMatching(/^[0-9a-f]{8}$/), r: header });
    const scan = scanRecords(bytes(...lines), 0, 0);
    expect(scan.records.map((r) => [r.record, r.line, r.offset])).toEqual([
      [header, 1, 0],
      [txn(1), 2, lines[0]?.length],
    ]);
    expect(scan.end).toBe(bytes(...lines).length);
    expect(scan.torn).toBeUndefined();
  });

  it('keeps unicode intact (the checksum covers UTF-8 bytes)', () => {
    const event = {
      regarding: { kind: 'NodePool' as const, namespace: 'default', name: 'workers' },
      type: 'Warning' as const,
      reason: 'BudgetExceeded',
      action: 'Create',
      message: 'zu teuer: 0,10 € – ✗',
      count: 1,
      firstTimestamp: '2025-01-01T00:00:00.000Z',
      lastTimestamp: '2025-01-01T00:00:00.000Z',
    };
    const record: StateRecord = { t: 'txn', rv: 1, ops: [{ op: 'event', event }] };
    expect(scanRecords(bytes(encodeRecord(header), encodeRecord(record)), 0, 0).records[1]?.record).toEqual(record);
  });

  it.each([
    ['an incomplete last line', (good: string) => good.slice(0, -5)],
    ['a last line without its newline', (good: string) => good.slice(0, -1)],
    ['a damaged last line', (good: string) => good.replace('"rv":1', '"rv":7')],
    ['zeros where the last line was', (good: string) => '\0'.repeat(good.length)],
  ])('treats %s as a torn tail: not consumed, not an error', (_name, damage) => {
    const first = encodeRecord(header);
    const scan = scanRecords(bytes(first, damage(encodeRecord(txn(1)))), 100, 10);
    expect(scan.records).toHaveLength(1);
    expect(scan.end).toBe(100 + first.length);
    expect(scan.lines).toBe(11);
    expect(scan.torn).toMatchObject({ offset: 100 + first.length, line: 12 });
  });

  it('calls a bad line followed by good ones corruption, naming line and byte', () => {
    const first = encodeRecord(header);
    const damaged = encodeRecord(txn(1)).replace('"rv":1', '"rv":2');
    const error = (() => {
      try {
        scanRecords(bytes(first, damaged, encodeRecord(txn(2))), 0, 0);
      } catch (e) {
        return e;
      }
      return undefined;
    })();
    expect(error).toBeInstanceOf(CorruptLineError);
    expect(error).toMatchObject({ line: 2, offset: first.length, problem: 'checksum mismatch' });
  });

  it('calls a well-framed line that is no state record corruption, even last', () => {
    const notARecord = encodeRecord({ t: 'nonsense' } as unknown as StateRecord);
    expect(() => scanRecords(bytes(encodeRecord(header), notARecord), 0, 0)).toThrow(/line 2 .*not a polyfleet state record/);
  });

  it('calls foreign text corruption at line 1', () => {
    expect(() => scanRecords(bytes('apiVersion: v1\nkind: List\n'), 0, 0)).toThrow(/line 1 \(byte 0\): not a framed state record/);
  });
});
