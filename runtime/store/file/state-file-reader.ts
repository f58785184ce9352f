import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { CorruptLineError, scanRecords, type TornTail } from './record-codec.js';
import { CorruptStateError, errnoDetail, UnreadableStateError } from './state-file-errors.js';
import { State } from './state.js';

/** A state file read from its start: the open descriptor, what it holds, and where reading stopped. */
export interface LoadedFile {
  readonly fd: number;
  readonly ino: number;
  readonly state: State;
  /** Offset just after the last good line: where the next read, or the next write, starts. */
  readonly end: number;
  readonly lines: number;
  /** Bytes of the snapshot part (header to first transaction), to decide when to compact. */
  readonly snapshotBytes: number;
  readonly torn: TornTail | undefined;
}

/**
 * Opens and reads the whole state file, or returns undefined if there is none. Only reads:
 * a corrupt file throws CorruptStateError, an unreadable one UnreadableStateError, both naming it.
 */
export function readStateFile(path: string, writable: boolean, eventsPerNamespace: number): LoadedFile | undefined {
  let fd: number;
  try {
    fd = openSync(path, writable ? 'r+' : 'r');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new UnreadableStateError(path, errnoDetail(e), { cause: e });
  }
  try {
    const info = fstatSync(fd);
    if (!info.isFile()) throw new UnreadableStateError(path, 'not a regular file');
    const scan = scanRecords(readAt(path, fd, 0, info.size), 0, 0);
    const state = new State(eventsPerNamespace);
    state.applyRecords(scan.records);
    if (!state.hasHeader) throw new CorruptStateError(path, 1, 0, scan.torn?.problem ?? 'the file is empty: no polyfleet state header');
    const firstTxn = scan.records.find((r) => r.record.t === 'txn' || r.record.t === 'batch');
    return { fd, ino: info.ino, state, end: scan.end, lines: scan.lines, snapshotBytes: firstTxn?.offset ?? scan.end, torn: scan.torn };
  } catch (e) {
    closeSync(fd);
    throw describeCorruption(path, e);
  }
}

/** Reads `length` bytes at `position`, or fewer if the file is shorter now. */
export function readAt(path: string, fd: number, position: number, length: number): Buffer {
  const buf = Buffer.allocUnsafe(length);
  let filled = 0;
  try {
    while (filled < length) {
      const n = readSync(fd, buf, filled, length - filled, position + filled);
      if (n === 0) break;
      filled += n;
    }
  } catch (e) {
    throw new UnreadableStateError(path, errnoDetail(e), { cause: e });
  }
  return buf.subarray(0, filled);
}

export function describeCorruption(path: string, e: unknown): Error {
  if (e instanceof CorruptLineError) return new CorruptStateError(path, e.line, e.offset, e.problem);
  return e instanceof Error ? e : new Error(String(e));
}
