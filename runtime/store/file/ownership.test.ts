import { afterAll, describe, expect, it } from '@jest/globals';
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { FakeClock } from '../../testing/fake-clock.js';
import { removeTempDirs, silentLogger, tempStatePath } from './fixture.js';
import { acquireOwnership, OwnedByError, ownershipPath } from './ownership.js';
import { OwnershipElector } from './ownership-elector.js';
import { currentProcess } from './process-identity.js';

afterAll(removeTempDirs);

describe('state file ownership', () => {
  it('has one owner at a time, and names it to the others', () => {
    const path = tempStatePath();
    const first = acquireOwnership(path);
    const error = (() => {
      try {
        acquireOwnership(path);
      } catch (e) {
        return e;
      }
      return undefined;
    })();
    expect(error).toBeInstanceOf(OwnedByError);
    expect((error as Error).message).toContain(`state file ${path} is owned by pid ${process.pid} on ${currentProcess().hostname}`);
    expect(first.release()).toBe(true);
    acquireOwnership(path).release();
  });

  it('takes over the claim of a dead owner', () => {
    const path = tempStatePath();
    const dead = spawnSync(process.execPath, ['-e', '']).pid;
    writeFileSync(ownershipPath(path), JSON.stringify({ ...currentProcess(), pid: dead, token: 'x', since: '2025-01-01T00:00:00Z', purpose: 'owner' }));
    const taken = acquireOwnership(path);
    expect(taken.owner.pid).toBe(process.pid);
    taken.release();
  });
});

describe('ownership elector', () => {
  function elector(path: string, clock: FakeClock) {
    const log: string[] = [];
    const e = new OwnershipElector({ statePath: path, logger: silentLogger, timers: clock, retryMs: 1_000, checkMs: 1_000 });
    e.run({ onStartedLeading: () => log.push('started'), onStoppedLeading: () => log.push('stopped') });
    return { e, log };
  }

  it('leads while it owns the file; the next leads once it stops', async () => {
    const path = tempStatePath();
    const clock = new FakeClock();
    const a = elector(path, clock);
    const b = elector(path, clock);
    expect([a.log, b.log]).toEqual([['started'], []]);
    clock.advance(5_000);
    expect(b.log).toEqual([]);
    await a.e.stop();
    expect(a.log).toEqual(['started', 'stopped']);
    clock.advance(1_000);
    expect(b.log).toEqual(['started']);
    await b.e.stop();
  });

  it('stops leading at once when its claim is gone from disk', () => {
    const path = tempStatePath();
    const clock = new FakeClock();
    const a = elector(path, clock);
    writeFileSync(ownershipPath(path), JSON.stringify({ ...currentProcess(), token: 'someone-else', since: 'now', purpose: 'owner' }));
    clock.advance(1_000);
    expect(a.log).toEqual(['started', 'stopped']);
    clock.advance(10_000);
    expect(a.log).toEqual(['started', 'stopped']);
  });
});
