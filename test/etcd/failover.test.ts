import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { pino } from 'pino';
import type { Machine } from '../../api/index.js';
import { runPolyfleet, startPolyfleet, type BackgroundPolyfleet } from '../../cli/testing/cli-process.js';
import { takeSimCensus } from '../../cli/testing/sim-census.js';
import { openEtcdStore, type EtcdStore } from '../../runtime/store/etcd/index.js';
import { eventually } from '../../runtime/testing/async.js';
import { startEtcdCluster, type EtcdCluster } from './etcd-cluster.js';

const quickstart = fileURLToPath(new URL('../../examples/quickstart', import.meta.url));
const DEADLINE_MS = 180_000;
/** Each failover waits out the leader lease (15 s) at most; 20 of them are the bench's, not CI's. */
const KILLS = 4;

/**
 * Three `polyfleet run` processes on a 3-member etcd cluster, as on three machines: exactly one
 * leads; SIGKILL the leader again and again (and stop one etcd member once): a follower takes over
 * each time, and the pool ends converged with no instance leaked or created twice.
 */
describe('three polyfleet run on a 3-member etcd, the leader SIGKILLed repeatedly', () => {
  let etcd: EtcdCluster;
  let dir: string;
  let simDir: string;
  let store: EtcdStore;
  let storeFlags: string[];
  const runs: BackgroundPolyfleet[] = [];
  const machines = new Map<string, Machine>();
  let leader: string | undefined;
  let polling: ReturnType<typeof setInterval> | undefined;

  beforeAll(async () => {
    etcd = await startEtcdCluster({ members: 3 });
    dir = mkdtempSync(join(tmpdir(), 'polyfleet-failover-'));
    simDir = join(dir, 'sim');
    storeFlags = ['--store', `etcd://${etcd.hosts}`];
    expect(runPolyfleet(dir, ['apply', '-f', quickstart, ...storeFlags])).toMatchObject({ status: 0 });
    store = await openEtcdStore({ endpoints: etcd.hosts.split(','), logger: pino({ level: 'silent' }), callTimeoutMs: 2_000 });
    store.watch('Machine', (e) => {
      if (e.type === 'DELETED') machines.delete(e.object.metadata.name);
      else machines.set(e.object.metadata.name, e.object);
    });
    polling = setInterval(() => {
      store.leader().then((l) => (leader = l), () => undefined);
    }, 100);
  }, DEADLINE_MS);

  afterAll(async () => {
    if (polling !== undefined) clearInterval(polling);
    for (const run of runs) run.child.kill('SIGKILL');
    await Promise.all(runs.map((r) => r.exited));
    await store.close();
    await etcd.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  function startRun(): BackgroundPolyfleet {
    const run = startPolyfleet(dir, ['run', ...storeFlags, '--port', '0', '--sim-dir', simDir]);
    runs.push(run);
    return run;
  }
  const alive = (): BackgroundPolyfleet[] => runs.filter((r) => r.child.exitCode === null && r.child.signalCode === null);
  /** The run holding the leader key (its identity is host_pid_random). */
  const leading = (): BackgroundPolyfleet | undefined => alive().find((r) => leader?.split('_').at(-2) === String(r.child.pid));
  const live = (): Machine[] => [...machines.values()].filter((m) => m.metadata.deletionTimestamp === undefined);

  it(`hands over to a follower after each of ${String(KILLS)} leader kills and one etcd member stopped; 0 leaked, 0 duplicates`, async () => {
    for (let i = 0; i < 3; i++) startRun();
    await eventually(() => leading() !== undefined, 'one of the three runs to lead', 60_000);
    const failovers: number[] = [];
    for (let i = 0; i < KILLS; i++) {
      const victim = leading();
      if (victim === undefined) throw new Error('no leader');
      const was = leader;
      victim.child.kill('SIGKILL');
      const killedAt = Date.now();
      if (i === 1) await etcd.members[2]?.process.stop(2_000);
      await eventually(() => leader !== undefined && leader !== was && leading() !== undefined, `a follower to take over after kill ${String(i + 1)}`, 60_000);
      failovers.push(Date.now() - killedAt);
      startRun();
    }
    expect(alive().filter((r) => r === leading())).toHaveLength(1);
    await eventually(() => live().length === 7 && live().every((m) => m.status?.phase === 'Running') && machines.size === 7, 'the pool to converge: 7 Machines Running', DEADLINE_MS);
    const census = await takeSimCensus(simDir, new Set(live().map((m) => m.metadata.uid ?? '')));
    expect({ leaked: census.leaked, duplicates: census.duplicates, machinesWithoutOneInstance: census.machinesWithoutOneInstance }).toEqual({ leaked: [], duplicates: [], machinesWithoutOneInstance: [] });
    const sorted = [...failovers].sort((a, b) => a - b);
    console.log(`leader failover over ${String(KILLS)} SIGKILLs (lease TTL 15 s): min ${String(sorted[0])} ms, median ${String(sorted[Math.floor(sorted.length / 2)])} ms, max ${String(sorted.at(-1))} ms`);
  }, DEADLINE_MS * 3);
});
