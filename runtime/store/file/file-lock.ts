import { randomUUID } from 'node:crypto';
import { closeSync, openSync, readFileSync, statSync, unlinkSync, writeSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { currentProcess, describeProcess, isCertainlyDead, isProcessIdentity, type ProcessIdentity } from './process-identity.js';

/**
 * Node has no flock, so a lock is a file created with O_EXCL that names its holder. A holder that
 * certainly died (same host; pid gone, pid reused, or rebooted since) leaves a stale lock, which
 * the next taker breaks. Breaking is itself guarded by an O_EXCL `.break` file, so two takers that
 * both saw the same stale lock cannot both break it and end up both holding the fresh one.
 */
export interface LockHolder extends ProcessIdentity {
  readonly token: string;
  readonly since: string;
  readonly purpose: string;
}

export interface HeldLock {
  readonly path: string;
  readonly holder: LockHolder;
  /** Whether the lock file still names this holder (nobody broke or removed it). */
  stillHeld(): boolean;
  /** Removes the lock file if it still names this holder; false if it did not (it was taken from us). */
  release(): boolean;
}

export type TryLockResult = { readonly acquired: true; readonly lock: HeldLock } | { readonly acquired: false; readonly holder: LockHolder | undefined };

export class LockTimeoutError extends Error {
  constructor(readonly lockPath: string, readonly holder: LockHolder | undefined, waitedMs: number) {
    super(
      `timed out after ${waitedMs} ms waiting for lock ${lockPath}, held by ${holder ? `${describeProcess(holder)} since ${holder.since} (${holder.purpose})` : 'an unknown process'}; ` +
        'if that process is gone (e.g. it ran on another host), remove the lock file',
    );
    this.name = 'LockTimeoutError';
  }
}

/** A lock file that names nobody is one being written, unless it stays that way this long (a crash between create and write). */
const INCOMPLETE_LOCK_GRACE_MS = 5_000;
const MAX_WAIT_STEP_MS = 20;

export function tryLock(path: string, purpose: string): TryLockResult {
  // A broken stale lock is retried at once; the bound stops a livelock if breaking keeps failing.
  for (let attempt = 0; attempt < 3; attempt++) {
    const holder: LockHolder = { ...currentProcess(), token: randomUUID(), since: new Date().toISOString(), purpose };
    const raw = JSON.stringify(holder);
    if (createExclusive(path, raw)) return { acquired: true, lock: heldLock(path, holder, raw) };
    const current = readLock(path);
    if (current === undefined) continue;
    if (!isStale(current)) return { acquired: false, holder: current.holder };
    breakStaleLock(path, current.raw);
  }
  return { acquired: false, holder: readLock(path)?.holder };
}

/** Waits (with short, growing pauses) until the lock is free, at most `timeoutMs`. */
export async function acquireLock(path: string, purpose: string, timeoutMs: number): Promise<HeldLock> {
  const started = Date.now();
  for (let step = 1; ; step = Math.min(step * 2, MAX_WAIT_STEP_MS)) {
    const result = tryLock(path, purpose);
    if (result.acquired) return result.lock;
    if (Date.now() - started >= timeoutMs) throw new LockTimeoutError(path, result.holder, timeoutMs);
    await sleep(step * (0.5 + Math.random()));
  }
}

/** The holder named in a lock file, if any and if it parses. */
export function readLockHolder(path: string): LockHolder | undefined {
  return readLock(path)?.holder;
}

function heldLock(path: string, holder: LockHolder, raw: string): HeldLock {
  return {
    path,
    holder,
    stillHeld: () => readRaw(path) === raw,
    release: () => {
      if (readRaw(path) !== raw) return false;
      unlinkQuietly(path);
      return true;
    },
  };
}

interface LockFile {
  readonly raw: string;
  readonly holder: LockHolder | undefined;
  readonly ageMs: number;
}

function readLock(path: string): LockFile | undefined {
  try {
    const raw = readFileSync(path, 'utf8');
    const ageMs = Date.now() - statSync(path).mtimeMs;
    return { raw, holder: parseHolder(raw), ageMs };
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw e;
  }
}

function parseHolder(raw: string): LockHolder | undefined {
  try {
    const value: unknown = JSON.parse(raw);
    const v = value as Partial<Record<keyof LockHolder, unknown>>;
    return isProcessIdentity(value) && typeof v.token === 'string' && typeof v.since === 'string' && typeof v.purpose === 'string'
      ? (value as LockHolder)
      : undefined;
  } catch {
    return undefined;
  }
}

function isStale(lock: LockFile): boolean {
  return lock.holder === undefined ? lock.ageMs > INCOMPLETE_LOCK_GRACE_MS : isCertainlyDead(lock.holder);
}

function breakStaleLock(path: string, staleRaw: string): void {
  const guard = `${path}.break`;
  const guardRaw = JSON.stringify({ ...currentProcess(), token: randomUUID(), since: new Date().toISOString(), purpose: 'break' });
  if (!createExclusive(guard, guardRaw)) {
    // Another taker is breaking it right now, or died doing so (the only case left to chance: two
    // takers clearing the same dead guard at once).
    const other = readLock(guard);
    if (other !== undefined && isStale(other)) unlinkQuietly(guard);
    return;
  }
  try {
    if (readRaw(path) === staleRaw) unlinkQuietly(path);
  } finally {
    unlinkQuietly(guard);
  }
}

function createExclusive(path: string, content: string): boolean {
  let fd: number;
  try {
    fd = openSync(path, 'wx', 0o644);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw e;
  }
  try {
    writeSync(fd, content);
  } catch (e) {
    closeSync(fd);
    unlinkQuietly(path);
    throw e;
  }
  closeSync(fd);
  return true;
}

function readRaw(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw e;
  }
}

function unlinkQuietly(path: string): void {
  try {
    unlinkSync(path);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
  }
}
