import { randomUUID } from 'node:crypto';
import { closeSync, fdatasync, ftruncateSync, openSync, statSync, writeSync } from 'node:fs';
import { promisify } from 'node:util';
import type { Logger } from 'pino';
import { rfc3339Seconds, type Clock } from '../../clock.js';
import { notifyChanges, type ChangeNotifier } from './change-notifier.js';
import { acquireLock, type HeldLock } from './file-lock.js';
import type { Change } from './object-index.js';
import type { Planned } from './object-writes.js';
import { encodeRecord, scanRecords, type TornTail } from './record-codec.js';
import { createStateFile, writeSnapshot } from './snapshot-writer.js';
import { diffStates } from './state-diff.js';
import { errnoDetail, StateFileFailedError, UnreadableStateError } from './state-file-errors.js';
import { describeCorruption, readAt, readStateFile, type LoadedFile } from './state-file-reader.js';
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
  /** The id a state file this process creates gets (see FileStore.installationId). */
  readonly newInstallationId: () => string;
}

export type Planner<T> = (state: State, ctx: WriteContext) => Planned<T>;

interface PendingWrite {
  readonly planner: Planner<unknown>;
  readonly resolve: (result: unknown) => void;
  readonly reject: (error: unknown) => void;
}

const fdatasyncAsync = promisify(fdatasync);
/** Enough to amortise one fsync; small enough that one line stays a modest read for other processes. */
const MAX_BATCH = 256;
/** How long a writer keeps the lock across batches while writes keep coming (flushLocked). */
const LOCK_HOLD_MS = 50;

/**
 * A state file: a snapshot followed by a log of transactions, one checksummed line each, shared by
 * every process that opens it. Writes are group-committed: those that arrive while a flush runs
 * wait for the next one, which takes the file's lock, reads what other processes appended (so
 * resourceVersions are checked against the latest state and the revision stays one sequence),
 * plans each write in turn, appends them as one line, fdatasyncs once, and only then tells watchers and
 * answers. Other processes pick the lines up on an fs.watch event or a poll. When the log outgrows
 * the snapshot, the writer replaces the file with a fresh snapshot (see snapshot-writer.ts).
 */
export class StateFile {
  private file: LoadedFile | undefined;
  private stateNow: State;
  private offset = 0;
  private lines = 0;
  private torn: TornTail | undefined;
  private tail: Promise<unknown> = Promise.resolve();
  private pending: PendingWrite[] = [];
  private flushing = false;
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
    let loaded = file.read();
    if (loaded === undefined && !options.readOnly) {
      await createStateFile(options.path, options.lockTimeoutMs, options.newInstallationId());
      loaded = file.read();
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

  /** Why the file cannot be used any more (a failed write or read): the state in memory no longer follows it. */
  get failed(): Error | undefined {
    return this.failure;
  }

  /** Plans one transaction against the latest state and resolves once it is durable. */
  commit<T>(planner: Planner<T>): Promise<T> {
    if (this.options.readOnly) return Promise.reject(new Error(`state file ${this.path} was opened read-only`));
    return new Promise<T>((resolve, reject) => {
      this.pending.push({ planner, resolve: resolve as (result: unknown) => void, reject });
      if (this.flushing) return;
      this.flushing = true;
      void this.exclusive(() => this.flushPending());
    });
  }

  /** Applies what other processes wrote since the last look. Never throws: a failure is logged and stops the store. */
  refresh(): Promise<void> {
    if (this.refreshQueued || this.closed || this.failure !== undefined) return Promise.resolve();
    this.refreshQueued = true;
    return this.exclusive(() => {
      this.refreshQueued = false;
      if (!this.closed) this.catchUp(false);
      return Promise.resolve();
    }).catch((err: unknown) => {
      this.options.logger.error({ err, path: this.path }, 'failed to read changes from the state file');
    });
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.notifier?.close();
    await this.tail;
    if (this.file !== undefined) closeSync(this.file.fd);
  }

  /**
   * Never rejects (commit starts it without waiting for it): should flushing itself fail (releasing
   * the lock, say), the writes still waiting get the error instead of waiting for a flush that the
   * next commit would only have started.
   */
  private async flushPending(): Promise<void> {
    try {
      while (this.pending.length > 0) await this.flushLocked();
    } catch (err) {
      this.options.logger.error({ err, path: this.path }, 'flushing writes to the state file failed');
      for (const write of this.pending.splice(0)) write.reject(err);
    } finally {
      this.flushing = false;
    }
  }

  /**
   * Commits batch after batch under one hold of the lock while writes keep coming, for at most
   * LOCK_HOLD_MS: taking and dropping the lock file is five synchronous file operations, and a
   * burst of writes took it once per fsync. The bound is how much longer another process's write
   * (`polyfleet apply` beside `polyfleet run`) can wait for it.
   */
  private async flushLocked(): Promise<void> {
    let lock: HeldLock;
    try {
      this.assertUsable();
      lock = await acquireLock(`${this.path}.lock`, 'write', this.options.lockTimeoutMs);
    } catch (e) {
      for (const write of this.pending.splice(0, MAX_BATCH)) write.reject(e);
      return;
    }
    const heldSince = performance.now();
    try {
      do {
        const batch = this.pending.splice(0, MAX_BATCH);
        try {
          await this.commitBatch(batch);
        } catch (e) {
          for (const write of batch) write.reject(e);
        }
      } while (this.pending.length > 0 && performance.now() - heldSince < LOCK_HOLD_MS);
    } finally {
      if (!lock.release()) this.options.logger.error({ path: lock.path }, 'another process took the write lock while this one held it');
    }
  }

  /** One line, one fsync; the caller holds the lock. */
  private async commitBatch(batch: readonly PendingWrite[]): Promise<void> {
    this.assertUsable();
    this.catchUp(true);
    this.cutTornTail();
    const { outcomes, txns, changes } = this.plan(batch);
    if (txns.length > 0) await this.append(encodeRecord(txns.length === 1 && txns[0] ? txns[0] : { t: 'batch', txns }));
    this.onChanges(changes);
    for (const [i, outcome] of outcomes.entries()) {
      const write = batch[i];
      if (outcome.ok) write?.resolve(outcome.result);
      else write?.reject(outcome.error);
    }
    await this.compactIfDue();
  }

  /**
   * Plans each write against the state the previous ones left, applying each in memory at once
   * (the next plans on it); a write that fails its checks fails alone. The memory is ahead of the
   * disk until the fsync; if that fails, the store stops (StateFileFailedError) and must be reopened.
   */
  private plan(batch: readonly PendingWrite[]) {
    const outcomes: ({ ok: true; result: unknown } | { ok: false; error: unknown })[] = [];
    const txns: TxnRecord[] = [];
    const changes: Change[] = [];
    const now = rfc3339Seconds(this.options.clock.now());
    for (const write of batch) {
      const rv = this.stateNow.rv + 1;
      try {
        const planned = write.planner(this.stateNow, { revision: String(rv), now, newUid: randomUUID });
        if (planned.ops.length > 0) {
          const txn: TxnRecord = { t: 'txn', rv, ops: planned.ops };
          txns.push(txn);
          changes.push(...this.stateNow.applyTxn(txn));
        }
        outcomes.push({ ok: true, result: planned.result });
      } catch (error) {
        outcomes.push({ ok: false, error });
      }
    }
    return { outcomes, txns, changes };
  }

  /** Appends one line, so a crash tears at most that line (see BatchRecord). */
  private async append(line: string): Promise<void> {
    const fd = this.requireFd();
    const data = Buffer.from(line);
    try {
      for (let written = 0; written < data.length; ) written += writeSync(fd, data, written, data.length - written, this.offset + written);
      await fdatasyncAsync(fd);
    } catch (e) {
      // Memory already holds these writes; the disk may or may not: only a re-read can tell.
      throw this.fail(new StateFileFailedError(this.path, `appending to it failed (${errnoDetail(e)})`, { cause: e }));
    }
    this.offset += data.length;
    this.lines += 1;
  }

  /** We hold the lock, so the writer of a torn tail is gone: it crashed before its fsync, unacknowledged. */
  private cutTornTail(): void {
    if (this.torn === undefined) return;
    ftruncateSync(this.requireFd(), this.offset);
    this.options.logger.warn({ path: this.path, ...this.torn }, 'discarded an incomplete last record, a write cut short by a crash before it was acknowledged');
    this.torn = undefined;
  }

  private catchUp(locked: boolean): void {
    let size: number;
    let ino: number;
    try {
      ({ size, ino } = statSync(this.path));
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw new UnreadableStateError(this.path, errnoDetail(e), { cause: e });
      if (locked || this.file !== undefined) throw this.fail(new StateFileFailedError(this.path, 'the file was removed'));
      return;
    }
    if (ino !== this.file?.ino || size < this.offset) {
      this.reload();
      return;
    }
    if (size === this.offset) {
      this.torn = undefined;
      return;
    }
    try {
      const scan = scanRecords(readAt(this.path, this.requireFd(), this.offset, size - this.offset), this.offset, this.lines);
      const changes = this.stateNow.applyRecords(scan.records);
      this.offset = scan.end;
      this.lines = scan.lines;
      this.torn = scan.torn;
      this.onChanges(changes);
    } catch (e) {
      throw this.fail(describeCorruption(this.path, e));
    }
  }

  /** Another process replaced the file (compaction): read it again and tell watchers what differs. */
  private reload(): void {
    let loaded: LoadedFile | undefined;
    try {
      loaded = this.read();
    } catch (e) {
      throw this.fail(e as Error);
    }
    if (loaded === undefined) return;
    const before = this.stateNow;
    const old = this.file;
    this.adopt(loaded);
    if (old !== undefined) closeSync(old.fd);
    this.onChanges(diffStates(before, loaded.state));
  }

  private read(): LoadedFile | undefined {
    return readStateFile(this.path, !this.options.readOnly, this.options.eventsPerNamespace);
  }

  private adopt(loaded: LoadedFile): void {
    this.file = loaded;
    this.stateNow = loaded.state;
    this.offset = loaded.end;
    this.lines = loaded.lines;
    this.torn = loaded.torn;
    if (loaded.torn !== undefined) {
      // Normal while another process writes; the next writer cuts it off if its writer crashed.
      this.options.logger.debug({ path: this.path, ...loaded.torn }, 'ignoring an incomplete last record: a write in progress, or one a crash cut short');
    }
  }

  private async compactIfDue(): Promise<void> {
    const file = this.file;
    if (file === undefined) return;
    const logBytes = this.offset - file.snapshotBytes;
    if (logBytes < this.options.compactAfterBytes || logBytes < file.snapshotBytes) return;
    const started = performance.now();
    try {
      const written = await writeSnapshot(this.path, this.stateNow);
      const fd = openSync(this.path, 'r+');
      this.file = { fd, ino: statSync(this.path).ino, state: this.stateNow, end: written.bytes, lines: written.lines, snapshotBytes: written.bytes, torn: undefined };
      this.offset = written.bytes;
      this.lines = written.lines;
      closeSync(file.fd);
      const ms = Math.round(performance.now() - started);
      this.options.logger.info({ path: this.path, objects: this.stateNow.objects.count(), bytes: written.bytes, ms }, 'compacted the state file');
    } catch (err) {
      // The old file stays whole until the rename, so writing goes on; the next catch-up re-reads whichever file is in place.
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

  private requireFd(): number {
    if (this.file === undefined) throw new StateFileFailedError(this.path, 'the file is not open');
    return this.file.fd;
  }

  private fail(e: Error): Error {
    this.failure ??= e;
    this.options.logger.error({ err: e, path: this.path }, 'the state file cannot be used any more');
    return e;
  }
}
