import { afterAll, describe, expect, it } from '@jest/globals';
import { nodePool, removeTempDirs, silentLogger, spawnChild, tempStatePath, until } from './fixture.js';
import { openFileStore } from './file-store.js';

afterAll(removeTempDirs);

const PER_CHILD = 40;

describe('file store: several processes on one state file', () => {
  it('loses no write and no update when two processes write at once, and a third sees every change', async () => {
    const path = tempStatePath();
    const observer = await openFileStore({ path, logger: silentLogger, pollIntervalMs: 20 });
    await observer.create({ ...nodePool('counter'), spec: { ...nodePool('counter').spec, replicas: 0 } });
    const added = new Set<string>();
    const watch = observer.watch('Machine', (e) => {
      if (e.type === 'ADDED') added.add(e.object.metadata.name);
    });
    const children = ['a', 'b'].map((prefix) => spawnChild('counter-child.ts', [path, prefix, String(PER_CHILD)]));
    await until(() => children.every((c) => c.lines.includes('ready')), 'both writers to start');
    await observer.create(nodePool('go'));
    const results = await Promise.all(children.map((c) => c.exited));
    for (const [i, result] of results.entries()) {
      expect({ ...result, stderr: children[i]?.stderr(), done: children[i]?.lines.some((l) => l.startsWith('done')) }).toEqual({ code: 0, signal: null, stderr: '', done: true });
    }
    await until(() => added.size === 2 * PER_CHILD, 'the observer to see every Machine');
    watch.stop();
    await observer.close();

    const reopened = await openFileStore({ path, logger: silentLogger });
    expect((await reopened.get('NodePool', { namespace: 'default', name: 'counter' }))?.spec.replicas).toBe(2 * PER_CHILD);
    expect((await reopened.list('Machine')).length).toBe(2 * PER_CHILD);
    await reopened.close();
  }, 60_000);

  it('lets one process own the state file; when the owner is killed, the other takes over', async () => {
    const path = tempStatePath();
    const electors = [spawnChild('elector-child.ts', [path]), spawnChild('elector-child.ts', [path])];
    const leaders = () => electors.filter((c) => c.lines.some((l) => l.startsWith('leading')));
    try {
      await until(() => leaders().length > 0, 'a leader');
      const [owner] = leaders();
      const follower = electors.find((c) => c !== owner);
      if (!owner || !follower) throw new Error('unreachable');
      // The follower keeps trying and keeps failing while the owner lives.
      const followingSoFar = follower.lines.length;
      await until(() => follower.lines.slice(followingSoFar).filter((l) => l.startsWith('following')).length >= 5, 'the follower to try again');
      expect(leaders()).toEqual([owner]);

      owner.process.kill('SIGKILL');
      await owner.exited;
      await until(() => follower.lines.some((l) => l.startsWith('leading')), 'the follower to take over');
    } finally {
      for (const c of electors) c.process.kill('SIGKILL');
      await Promise.all(electors.map((c) => c.exited));
    }
  }, 60_000);
});
