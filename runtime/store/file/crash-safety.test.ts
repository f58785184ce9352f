import { afterAll, describe, expect, it } from '@jest/globals';
import { removeTempDirs, silentLogger, spawnChild, tempStatePath, until } from './fixture.js';
import { openFileStore } from './file-store.js';

afterAll(removeTempDirs);

const ROUNDS = 6;

interface Acknowledged {
  readonly created: Set<string>;
  /** The highest instanceId number acknowledged per Machine. */
  readonly status: Map<string, number>;
}

function record(acked: Acknowledged, lines: readonly string[]): void {
  for (const line of lines) {
    const [word, what, name, n] = line.split(' ');
    if (word !== 'ack' || name === undefined) continue;
    if (what === 'create') acked.created.add(name);
    if (what === 'status') acked.status.set(name, Math.max(Number(n), acked.status.get(name) ?? 0));
  }
}

describe('file store: crash safety', () => {
  it('loses no acknowledged write and never leaves a torn file when the writer is SIGKILLed at random instants', async () => {
    const path = tempStatePath();
    const acked: Acknowledged = { created: new Set(), status: new Map() };
    const ids = new Set<string>();
    let next = 0;
    for (let round = 0; round < ROUNDS; round++) {
      // Kill after a random number of acknowledged writes, then a random number of event-loop turns:
      // the writer is somewhere in create, updateStatus, fsync or compaction when it dies.
      const acksBeforeKill = 1 + Math.floor(Math.random() * 150);
      const writer = spawnChild('writer-child.ts', [path, String(next), '16384']);
      try {
        await until(() => writer.lines.filter((l) => l.startsWith('ack')).length >= acksBeforeKill, `round ${round}: ${acksBeforeKill} acknowledged writes`);
        for (let turns = Math.floor(Math.random() * 50); turns > 0; turns--) await new Promise((r) => setImmediate(r));
      } finally {
        writer.process.kill('SIGKILL');
      }
      expect(await writer.exited).toMatchObject({ signal: 'SIGKILL' });
      record(acked, writer.lines);

      // Opening would throw CorruptStateError on a torn or damaged file.
      const store = await openFileStore({ path, readOnly: true, logger: silentLogger });
      const machines = new Map((await store.list('Machine')).map((m) => [m.metadata.name, m]));
      ids.add(store.installationId);
      await store.close();
      const lost = [...acked.created].filter((name) => !machines.has(name));
      const stale = [...acked.status].filter(([name, n]) => Number(machines.get(name)?.status?.instanceId?.slice(2) ?? 0) < n);
      expect({ round, lost, stale }).toEqual({ round, lost: [], stale: [] });
      next = machines.size + 1_000 * (round + 1);
    }
    // And a writer that opens after the last crash goes on from there (cutting off any torn tail).
    const store = await openFileStore({ path, logger: silentLogger });
    const revision = store.revision;
    const after = await store.list('Machine');
    await store.delete('Machine', { namespace: 'default', name: after[0]?.metadata.name ?? '' });
    expect(store.revision).toBe(revision + 1);
    ids.add(store.installationId);
    await store.close();
    // Kills in compactions (each rewrites the header) never changed the installation id.
    expect(ids.size).toBe(1);
  }, 180_000);
});
