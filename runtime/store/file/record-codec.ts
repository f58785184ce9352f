import { crc32 } from 'node:zlib';
import { checkRecord, type StateRecord } from './state-records.js';

/**
 * One record per line: `{"c":"<crc32 of R, 8 hex>","r":R}` then a newline. Every line is JSON (jq
 * reads the file), and the checksum tells a record torn by a crash, or damaged on disk, from a good
 * one without trusting the JSON parser to notice.
 */
const PREFIX = '{"c":"';
const MIDDLE = '","r":';
const CRC_START = PREFIX.length;
const JSON_START = CRC_START + 8 + MIDDLE.length;
const NEWLINE = 0x0a;

export function encodeRecord(record: StateRecord): string {
  const json = JSON.stringify(record);
  return `${PREFIX}${crcHex(Buffer.from(json))}${MIDDLE}${json}}\n`;
}

export interface ScannedRecord {
  readonly record: StateRecord;
  /** Byte offset of the line in the file, and its 1-based number, to name it in errors. */
  readonly offset: number;
  readonly line: number;
}

/** Bytes after the last good line that are no record yet: a write in progress or torn by a crash. */
export interface TornTail {
  readonly offset: number;
  readonly line: number;
  readonly problem: string;
}

export interface ScanResult {
  readonly records: ScannedRecord[];
  /** File offset just after the last good line: where the next read (or write) starts. */
  readonly end: number;
  readonly lines: number;
  readonly torn?: TornTail;
}

/** A bad line with good data after it: not a torn write (that can only be last), so the file is damaged. */
export class CorruptLineError extends Error {
  constructor(readonly line: number, readonly offset: number, readonly problem: string) {
    super(`line ${line} (byte ${offset}): ${problem}`);
    this.name = 'CorruptLineError';
  }
}

/** Decodes the complete lines of `buf`, which starts at file offset `baseOffset`, line `baseLine + 1`. */
export function scanRecords(buf: Buffer, baseOffset: number, baseLine: number): ScanResult {
  const records: ScannedRecord[] = [];
  let pos = 0;
  let line = baseLine;
  while (pos < buf.length) {
    const newline = buf.indexOf(NEWLINE, pos);
    const lineNo = line + 1;
    const offset = baseOffset + pos;
    if (newline === -1) return { records, end: offset, lines: line, torn: { offset, line: lineNo, problem: 'incomplete last line' } };
    const decoded = decodeLine(buf, pos, newline);
    if ('problem' in decoded) {
      if (newline + 1 < buf.length) throw new CorruptLineError(lineNo, offset, decoded.problem);
      return { records, end: offset, lines: line, torn: { offset, line: lineNo, problem: decoded.problem } };
    }
    const checked = checkRecord(decoded.value);
    if ('problem' in checked) throw new CorruptLineError(lineNo, offset, checked.problem);
    records.push({ record: checked.record, offset, line: lineNo });
    line = lineNo;
    pos = newline + 1;
  }
  return { records, end: baseOffset + pos, lines: line };
}

function decodeLine(buf: Buffer, start: number, newline: number): { value: unknown } | { problem: string } {
  const jsonEnd = newline - 1;
  if (
    jsonEnd <= start + JSON_START ||
    buf.toString('latin1', start, start + CRC_START) !== PREFIX ||
    buf.toString('latin1', start + CRC_START + 8, start + JSON_START) !== MIDDLE ||
    buf[jsonEnd] !== 0x7d
  ) {
    return { problem: 'not a framed state record' };
  }
  const json = buf.subarray(start + JSON_START, jsonEnd);
  if (crcHex(json) !== buf.toString('latin1', start + CRC_START, start + CRC_START + 8)) return { problem: 'checksum mismatch' };
  try {
    return { value: JSON.parse(json.toString('utf8')) as unknown };
  } catch (e) {
    return { problem: `invalid JSON: ${(e as Error).message}` };
  }
}

function crcHex(bytes: Uint8Array): string {
  return crc32(bytes).toString(16).padStart(8, '0');
}
