import { describe, expect, it } from '@jest/globals';
import { createLogger } from './log.js';
import { textLine } from './log-text.js';

function textLogger(): { log: ReturnType<typeof createLogger>; lines: string[] } {
  const lines: string[] = [];
  const log = createLogger({ level: 'debug', format: 'text', destination: { write: (s: string) => void lines.push(s) } });
  return { log, lines };
}

describe('text log lines', () => {
  it('are one line: time, level, message, the fields, and the error\'s message without its stack', () => {
    const { log, lines } = textLogger();
    const err = new Error('sim-a: too many requests');
    log.child({ controller: 'machine', reconcileId: 'r-1' }).warn({ provider: 'sim-a', waitMs: 5000, err }, 'create throttled, retrying');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^\d\d:\d\d:\d\d WARN {2}create throttled, retrying controller=machine provider=sim-a waitMs=5000 err="sim-a: too many requests"\n$/);
    expect(lines[0]).not.toContain('at ');
    expect(lines[0]).not.toContain('r-1');
  });

  it('quote values with spaces, show objects as JSON, and still redact secrets', () => {
    const { log, lines } = textLogger();
    log.info({ problem: 'provider account "x": refused', counts: { a: 1 }, token: 'top-secret', ok: true }, 'resolved');
    expect(lines[0]).toMatch(/ INFO {2}resolved problem="provider account \\"x\\": refused" counts={"a":1} token=\[redacted\] ok=true\n$/);
  });

  it.each([
    { record: { level: 50, time: '2026-01-01T10:11:12.000Z', msg: 'failed', err: { type: 'Error', message: 'boom', stack: 'Error: boom\n    at x' } }, line: '10:11:12 ERROR failed err=boom' },
    { record: { level: 30, time: '2026-01-01T10:11:12.000Z', msg: 'plain' }, line: '10:11:12 INFO  plain' },
    { record: { level: 40, time: '2026-01-01T10:11:12.000Z', msg: 'odd error', err: 'a string' }, line: '10:11:12 WARN  odd error err="a string"' },
  ])('$line', ({ record, line }) => {
    expect(textLine(record)).toBe(line);
  });
});
