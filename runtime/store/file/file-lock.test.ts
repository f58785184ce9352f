import { afterAll, describe, expect, it } from '@jest/globals';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, utimesSync, writeFileSync } from 'node:fs';
import { acquireLock, LockTimeoutError, readLockHolder, tryLock } from './file-lock.js';
import { removeTempDirs, tempStatePath } from './fixture.js';
import { currentProcess } from './process-identity.js';

afterAll(removeTempDirs);

/** A pid that certainly ran on this host and exited. */
function deadPid(): number {
  const child = spawnSync(process.execPath, ['-e', '']);
  return child.pid;
}

function lockFileOf(holder: Record<string, unknown>): string {
  const path = `${tempStatePath()}.lock`;
  writeFileSync(path, JSON.stringify({ token: 't', since: '2025-01-01T00:00:00Z', purpose: 'write', ...holder }));
  return path;
}

describe('file lock', () => {
  it('is exclusive, names its holder, and is free again after release', () => {
    const path = `${tempStatePath()}.lock`;
    const first = tryLock(path, 'write');
    if (!first.acquired) throw new Error('not acquired');
    expect(readLockHolder(path)).toMatchObject({ pid: process.pid, purpose: 'write' });
    const second = tryLock(path, 'write');
    expect(second).toEqual({ acquired: false, holder: first.lock.holder });
    expect(first.lock.release()).toBe(true);
    expect(existsSync(path)).toBe(false);
    expect(tryLock(path, 'write').acquired).toBe(true);
  });

  it('breaks the lock of a dead process, of a reused pid and of an earlier boot', () => {
    const me = currentProcess();
    const stale = [
      { ...me, pid: deadPid() },
      ...(me.startTicks === undefined ? [] : [{ ...me, startTicks: `${me.startTicks}0` }]),
      ...(me.bootId === undefined ? [] : [{ ...me, bootId: 'an-earlier-boot' }]),
    ];
    for (const holder of stale) {
      const path = lockFileOf(holder);
      const result = tryLock(path, 'write');
      expect(result.acquired).toBe(true);
      expect(readLockHolder(path)?.pid).toBe(process.pid);
      expect(existsSync(`${path}.break`)).toBe(false);
    }
  });

  it('waits for a live holder, and says who it is when it gives up', async () => {
    const path = lockFileOf({ ...currentProcess(), hostname: 'another-host', pid: 1 });
    const error = await acquireLock(path, 'write', 50).then(() => undefined, (e: unknown) => e);
    expect(error).toBeInstanceOf(LockTimeoutError);
    expect((error as Error).message).toMatch(/held by pid 1 on another-host since 2025-01-01T00:00:00Z \(write\)/);
    expect(JSON.parse(readFileSync(path, 'utf8'))).toMatchObject({ hostname: 'another-host' });
  });

  it('takes a lock file that names nobody only once it is old (its writer died between create and write)', () => {
    const path = `${tempStatePath()}.lock`;
    writeFileSync(path, '');
    expect(tryLock(path, 'write').acquired).toBe(false);
    const old = new Date(Date.now() - 60_000);
    utimesSync(path, old, old);
    expect(tryLock(path, 'write').acquired).toBe(true);
  });

  it('does not remove a lock that was taken from it', () => {
    const path = `${tempStatePath()}.lock`;
    const result = tryLock(path, 'write');
    if (!result.acquired) throw new Error('not acquired');
    writeFileSync(path, JSON.stringify({ ...currentProcess(), token: 'someone-else', since: 'now', purpose: 'write' }));
    expect(result.lock.stillHeld()).toBe(false);
    expect(result.lock.release()).toBe(false);
    expect(existsSync(path)).toBe(true);
  });
});
