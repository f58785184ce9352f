import type { DestinationStream } from 'pino';

/** pino's numeric levels, as a terminal line names them. */
const LEVELS: Readonly<Record<number, string>> = { 10: 'TRACE', 20: 'DEBUG', 30: 'INFO', 40: 'WARN', 50: 'ERROR', 60: 'FATAL' };

/** Fields a line shows in its own way (time, level, message, error) or not at all (reconcileId: only useful to join JSON lines). */
const OWN_FIELDS = new Set(['time', 'level', 'msg', 'err', 'reconcileId', 'pid', 'hostname']);

/**
 * One pino record as one readable line: UTC time of day, level, message, the other fields as
 * key=value (quoted when they hold spaces), and last the error's message — never its stack, which
 * only `--log-format json` carries. E.g.
 * `12:04:05 WARN  create throttled, retrying controller=machine name=workers-0 waitMs=5000 err="sim-a: too many requests"`
 */
export function textLine(record: Readonly<Record<string, unknown>>): string {
  const time = typeof record.time === 'string' ? record.time.slice(11, 19) : new Date().toISOString().slice(11, 19);
  const level = (typeof record.level === 'number' ? (LEVELS[record.level] ?? String(record.level)) : 'INFO').padEnd(5);
  const fields = Object.entries(record)
    .filter(([key, value]) => !OWN_FIELDS.has(key) && value !== undefined)
    .map(([key, value]) => `${key}=${fieldValue(value)}`);
  const err = errorMessage(record.err);
  if (err !== undefined) fields.push(`err=${fieldValue(err)}`);
  const msg = typeof record.msg === 'string' ? record.msg : '';
  return [time, level, msg, ...fields].filter((part) => part !== '').join(' ');
}

function fieldValue(value: unknown): string {
  if (typeof value === 'string') return /^[^\s"=]+$/.test(value) ? value : JSON.stringify(value);
  if (typeof value === 'number' || typeof value === 'boolean' || value === null) return String(value);
  return JSON.stringify(value);
}

/** pino serializes an error as {type, message, stack, …}; a thrown non-Error may be anything. */
function errorMessage(err: unknown): string | undefined {
  if (err === undefined || err === null) return undefined;
  if (typeof err === 'object' && 'message' in err && typeof err.message === 'string') return err.message;
  return typeof err === 'string' ? err : JSON.stringify(err);
}

/**
 * A pino destination that writes each record to `sink` as a textLine. Synchronous when the sink
 * is (pino.destination(fd) is), so the last lines before a crash are kept as with JSON.
 */
export function textDestination(sink: DestinationStream): DestinationStream {
  return {
    write(line: string) {
      let record: Record<string, unknown>;
      try {
        record = JSON.parse(line) as Record<string, unknown>;
      } catch {
        sink.write(line);
        return;
      }
      sink.write(`${textLine(record)}\n`);
    },
  };
}
