import { randomUUID } from 'node:crypto';
import { mkdir, open, stat, type FileHandle } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { Logger } from 'pino';
import { rfc3339Seconds, type Clock } from '../../clock.js';
import { notifyChanges, type ChangeNotifier } from './change-notifier.js';
import { acquireLock } from './file-lock.js';
import { readRange, writeFully } from './file-io.js';
import type { Change } from './object-index.js';
import type { Planned } from './object-writes.js';
import { CorruptLineError, encodeRecord, scanRecords, type TornTail } from './record-codec.js';
import { writeSnapshot } from './snapshot-writer.js';
import { diffStates } from './state-diff.js';
import { CorruptStateError, errnoDetail, StateFileFailedError, UnreadableStateError } from './state-file-errors.js';
import type { TxnRecord } from './state-records.js';
import { State } from './state.js';
import type { WriteContext } from './write-context.js';

export interface StateFileOptions {
  readonly path: string;
  readonly readOnly: boolean;
  readonly logger: Logger;
  readonly clock: Clock;
  readonly lockTimeoutMs: number;
  /** 0: do not follow other processes' writes (a one-shot reader). */
  readonly pollIntervalMs: number;
  /** The log part must reach this size, and the snapshot's, before it is compacted. */
  readonly compactAfterBytes: number;
  readonly eventsPerNamespace: number;
}

export type Planner<T> = (state: State, ctx: WriteContext) => Planned<T>;

interface Loaded {
  readonly handle: FileHandle;
  readonly ino: number;
  readonly state: State;
  readonly end: number;
  readonly lines: number;
  readonly snapshotBytes: number;
  readonly torn: TornTail | undefined;
}

/**
 * A state file: a snapshot followed by a log of transactions, one checksummed line each, shared by
 * every process that opens it. A write takes the file's lock, reads what other processes appended
 * since (so it checks resourceVersions against the latest state and the revision counter stays
 * one sequence), appends one line, fdatasyncs, and only then applies it in memory and answers.
 * Other processes pick the line up on an fs.watch event or a poll. When the log outgrows the
 * snapshot, the writer replaces the file with a fresh snapshot (see snapshot-writer.ts).
 */
export class StateFile {
  private loaded: Loaded | undefined;
  private stateNow: State;
  private offset = 0;
  private lines = 0;
  private torn: TornTail | undefined;
  private tail: Promise<unknown> = Promise.resolve();
  private refreshQueued = false;
  private failure: Error | undefined;
  private closed = false;
  private notifier: ChangeNotifier | undefined;

  private constructor(private readonly options: StateFileOptions, private readonly onChanges: (changes: Change[]) => void) {
    this.stateNow = new State(options.eventsPerNamespace);
  }

  /** Reads the whole file (creating it if missing, unless read-only); a corrupt or unreadable one throws and is not touched. */
  static async open(options: StateFileOptions, onChanges: (changes: Change[]) => void): Promise<StateFile> {
    const file = new StateFile(options, onChanges);
    let loaded = await file.readWhole();
    if (loaded === undefined && !options.readOnly) {
      await file.createEmpty();
      loaded = await file.readWhole();
    }
    if (loaded !== undefined) file.adopt(loaded);
    if (options.pollIntervalMs > 0) file.notifier = notifyChanges(options.path, options.pollIntervalMs, () => void file.refresh(), options.logger);
    return file;
  }

  get state(): State {
    return this.stateNow;
  }

  get path(): string {
    return this.options.path;
  }

  /** Plans one transaction against the latest state under the file lock and makes it durable. */
  commit<T>(planner: Planner<T>): Promise<T> {
    if (this.options.readOnly) return Promise.reject(new Error(`state file ${this.path} was opened read-only`));
    return this.exclusive(async () => {
      this.assertUsable();
      const lock = await acquireLock(`${this.path}.lock`, 'write', this.options.lockTimeoutMs);
      try {
        return await this.commitLocked(planner);
      } finally {
        if (!lock.release()) this.options.logger.error({ path: lock.path }, 'another process took the write lock while this one held it');
      }
    });
  }

  /** Applies what other processes wrote since the last look. Never throws: a failure is logged and stops the store. */
  refresh(): Promise<void> {
    if (this.refreshQueued || this.closed || this.failure !== undefined) return Promise.resolve();
    this.refreshQueued = true;
    return this.exclusive(async () => {
      this.refreshQueued = false;
      if (!this.closed) await this.catchUp(false);
    }).catch((err: unknown) => {
      this.options.logger.error({ err, path: this.path }, 'failed to read changes from the state file');
    });
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.notifier?.close();
    await this.tail;
    await this.loaded?.handle.close();
  }

  private async commitLocked<T>(planner: Planner<T>): Promise<T> {
    await this.catchUp(true);
    const handle = this.requireHandle();
    if (this.torn !== undefined) {
      // We hold the lock, so its writer is gone: it crashed before the fsync, and nobody was told it succeeded.
      await handle.truncate(this.offset);
      this.options.logger.warn({ path: this.path, ...this.torn }, 'discarded an incomplete last record, a write cut short by a crash before it was acknowledged');
      this.torn = undefined;
    }
    const rv = this.stateNow.rv + 1;
    const planned = planner(this.stateNow, { revision: String(rv), now: rfc3339Seconds(this.options.clock.now()), newUid: randomUUID });
    if (planned.ops.length === 0) return planned.result;
    const txn: TxnRecord = { t: 'txn', rv, ops: planned.ops };
    await this.append(handle, Buffer.from(encodeRecord(txn)));
    this.onChanges(this.stateNow.applyTxn(txn));
    await this.compactIfDue();
    return planned.result;
  }

  private async append(handle: FileHandle, data: Buffer): Promise<void> {
    try {
      await writeFully(handle, data, this.offset);
    } catch (e) {
      // E.g. ENOSPC: take back what part of the line reached the file, so the next write starts clean.
      await handle.truncate(this.offset).catch((err: unknown) => {
        this.failure = new StateFileFailedError(this.path, `a failed write could not be undone (${errnoDetail(err)})`, { cause: err });
      });
      throw e;
    }
    try {
      await handle.datasync();
    } catch (e) {
      this.failure = new StateFileFailedError(this.path, `fsync failed (${errnoDetail(e)})`, { cause: e });
      throw this.failure;
    }
    this.offset += data.length;
    this.lines += 1;
  }

  private async catchUp(locked: boolean): Promise<void> {
    let size: number;
    let ino: number;
    try {
      ({ size, ino } = await stat(this.path));
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw new UnreadableStateError(this.path, errnoDetail(e), { cause: e });
      if (locked || this.loaded !== undefined) this.fail(new StateFileFailedError(this.path, 'the file was removed'));
      return;
    }
    if (ino !== this.loaded?.ino || size < this.offset) {
      await this.reload();
      return;
    }
    if (size === this.offset) {
      this.torn = undefined;
      return;
    }
    const buf = await readRange(this.requireHandle(), this.offset, size - this.offset);
    try {
      const scan = scanRecords(buf, this.offset, this.lines);
      const changes = this.stateNow.applyRecords(scan.records);
      this.offset = scan.end;
      this.lines = scan.lines;
      this.torn = scan.torn;
      this.onChanges(changes);
    } catch (e) {
      throw this.fail(this.described(e));
    }
  }

  /** Another process replaced the file (compaction): read it again and tell watchers what differs. */
  private async reload(): Promise<void> {
    const loaded = await this.readWhole().catch((e: unknown) => {
      throw this.fail(e as Error);
    });
    if (loaded === undefined) return;
    const before = this.stateNow;
    const old = this.loaded;
    this.adopt(loaded);
    await old?.handle.close();
    this.onChanges(diffStates(before, loaded.state));
  }

  private adopt(loaded: Loaded): void {
    this.loaded = loaded;
    this.stateNow = loaded.state;
    this.offset = loaded.end;
    this.lines = loaded.lines;
    this.torn = loaded.torn;
    if (loaded.torn !== undefined) {
      // Normal while another process writes; the next writer cuts it off if its writer crashed.
      this.options.logger.debug({ path: this.path, ...loaded.torn }, 'ignoring an incomplete last record: a write in progress, or one a crash cut short');
    }
  }

  private async readWhole(): Promise<Loaded | undefined> {
    let handle: FileHandle;
    try {
      handle = await open(this.path, this.options.readOnly ? 'r' : 'r+');
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw new UnreadableStateError(this.path, errnoDetail(e), { cause: e });
    }
    try {
      const info = await handle.stat();
      if (!info.isFile()) throw new UnreadableStateError(this.path, 'not a regular file');
      const buf = await readRange(handle, 0, info.size).catch((e: unknown) => {
        throw new UnreadableStateError(this.path, errnoDetail(e), { cause: e });
      });
      const scan = scanRecords(buf, 0, 0);
      const state = new State(this.options.eventsPerNamespace);
      state.applyRecords(scan.records);
      if (!state.hasHeader) throw new CorruptStateError(this.path, 1, 0, scan.torn?.problem ?? 'the file is empty: no polyfleet state header');
      const firstTxn = scan.records.find((r) => r.record.t === 'txn');
      return { handle, ino: info.ino, state, end: scan.end, lines: scan.lines, snapshotBytes: firstTxn?.offset ?? scan.end, torn: scan.torn };
    } catch (e) {
      await handle.close();
      throw this.described(e);
    }
  }

  private async createEmpty(): Promise<void> {
    try {
      await mkdir(dirname(this.path), { recursive: true });
    } catch (e) {
      throw new UnreadableStateError(this.path, `cannot create its directory (${errnoDetail(e)})`, { cause: e });
    }
    const lock = await acquireLock(`${this.path}.lock`, 'create', this.options.lockTimeoutMs);
    try {
      if (!(await exists(this.path))) await writeSnapshot(this.path, new State(this.options.eventsPerNamespace));
    } finally {
      lock.release();
    }
  }

  private async compactIfDue(): Promise<void> {
    const loaded = this.loaded;
    if (loaded === undefined) return;
    const logBytes = this.offset - loaded.snapshotBytes;
    if (logBytes < this.options.compactAfterBytes || logBytes < loaded.snapshotBytes) return;
    const started = performance.now();
    try {
      const written = await writeSnapshot(this.path, this.stateNow);
      const handle = await open(this.path, 'r+');
      const { ino } = await handle.stat();
      this.loaded = { handle, ino, state: this.stateNow, end: written.bytes, lines: written.lines, snapshotBytes: written.bytes, torn: undefined };
      this.offset = written.bytes;
      this.lines = written.lines;
      await loaded.handle.close();
      const ms = Math.round(performance.now() - started);
      this.options.logger.info({ path: this.path, objects: this.stateNow.objects.count(), bytes: written.bytes, ms }, 'compacted the state file');
    } catch (err) {
      // The old file is whole (the new one replaces it only by rename), so writing goes on; the next catch-up re-reads whichever is in place.
      this.options.logger.warn({ err, path: this.path }, 'state file compaction failed; the log keeps growing');
    }
  }

  private exclusive<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.tail.then(fn);
    this.tail = run.catch(() => undefined);
    return run;
  }

  private assertUsable(): void {
    if (this.failure !== undefined) throw this.failure;
    if (this.closed) throw new Error(`the store on ${this.path} is closed`);
  }

  private requireHandle(): FileHandle {
    if (this.loaded === undefined) throw new StateFileFailedError(this.path, 'the file is not open');
    return this.loaded.handle;
  }

  private fail(e: Error): Error {
    this.failure ??= e;
    this.options.logger.error({ err: e, path: this.path }, 'the state file cannot be used any more');
    return e;
  }

  private described(e: unknown): Error {
    if (e instanceof CorruptLineError) return new CorruptStateError(this.path, e.line, e.offset, e.problem);
    return e instanceof Error ? e : new Error(String(e));
  }
}

async function exists(path: string): Promise<boolean> {
  try {
    await stat(path);
    return true;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw new UnreadableStateError(path, errnoDetail(e), { cause: e });
  }
}
