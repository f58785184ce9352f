// Leader failover as users meet it, shared by the failover test (short lease, CI) and the bench
// (default lease): three `polyfleet run --store etcd://…` on a 3-member etcd cluster, the leader
// SIGKILLed again and again, and each time the pool scaled (work only a leader does), so both the
// handover and the new leader's first act are timed from the kill.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { pino } from 'pino';
import type { Machine } from '../../api/index.js';
import { runPolyfleet, startPolyfleet, type BackgroundPolyfleet } from '../../cli/testing/cli-process.js';
import { takeSimCensus, type SimCensus } from '../../cli/testing/sim-census.js';
import { openEtcdStore } from '../../runtime/store/etcd/index.js';
import { eventually } from '../../runtime/testing/async.js';
import { startEtcdCluster } from './etcd-cluster.js';

const quickstart = fileURLToPath(new URL('../../examples/quickstart', import.meta.url));
const PROCESSES = 3;
const CONVERGE_MS = 180_000;
const TAKEOVER_MS = 60_000;

export interface DrillOptions {
  readonly kills: number;
  /** --leader-elect-lease-duration in seconds; default: not given (15 s). */
  readonly leaseSeconds?: number;
  /** Stop one etcd member right after this kill (1-based). */
  readonly stopMemberAtKill?: number;
}

export interface DrillResult {
  /** ms from each kill until another live run held the leader key. */
  readonly takeovers: readonly number[];
  /** ms from each kill until the pool was scaled, by the new leader. */
  readonly acting: readonly number[];
  /** How many runs led at the end (1 expected). */
  readonly leadersAtEnd: number;
  /** The sim's instances against the live Machines once the pool converged. */
  readonly census: SimCensus;
}

export async function failoverDrill(options: DrillOptions): Promise<DrillResult> {
  const etcd = await startEtcdCluster({ members: 3 });
  const dir = mkdtempSync(join(tmpdir(), 'polyfleet-failover-'));
  const simDir = join(dir, 'sim');
  const storeFlags = ['--store', `etcd://${etcd.hosts}`];
  const leaseFlags = options.leaseSeconds === undefined ? [] : ['--leader-elect-lease-duration', `${String(options.leaseSeconds)}s`];
  const runs: BackgroundPolyfleet[] = [];
  const machines = new Map<string, Machine>();
  let leader: string | undefined;
  const applied = runPolyfleet(dir, ['apply', '-f', quickstart, ...storeFlags]);
  if (applied.status !== 0) throw new Error(`polyfleet apply failed: ${applied.stderr}`);
  const store = await openEtcdStore({ endpoints: etcd.hosts.split(','), logger: pino({ level: 'silent' }), callTimeoutMs: 2_000 });
  const watch = store.watch('Machine', (e) => {
    if (e.type === 'DELETED') machines.delete(e.object.metadata.name);
    else machines.set(e.object.metadata.name, e.object);
  });
  const polling = setInterval(() => {
    store.leader().then((l) => (leader = l), () => undefined);
  }, 50);
  const startRun = (): void => {
    runs.push(startPolyfleet(dir, ['run', ...storeFlags, ...leaseFlags, '--port', '0', '--sim-dir', simDir]));
  };
  const alive = (): BackgroundPolyfleet[] => runs.filter((r) => r.child.exitCode === null && r.child.signalCode === null);
  /** The run holding the leader key (its identity is host_pid_random). */
  const leading = (): BackgroundPolyfleet | undefined => alive().find((r) => leader?.split('_').at(-2) === String(r.child.pid));
  const live = (): Machine[] => [...machines.values()].filter((m) => m.metadata.deletionTimestamp === undefined);
  /** Replicas 6 ↔ 5 (+1 spare): only a leading process acts on it. */
  const scale = (replicas: number): Promise<unknown> => store.patch('NodePool', { namespace: 'default', name: 'workers' }, { type: 'merge', patch: { spec: { replicas } } });
  try {
    for (let i = 0; i < PROCESSES; i++) startRun();
    await eventually(() => leading() !== undefined, 'one of the three runs to lead', TAKEOVER_MS);
    await eventually(() => live().length === 7, 'the pool to have its 7 Machines', CONVERGE_MS);
    const takeovers: number[] = [];
    const acting: number[] = [];
    for (let kill = 1; kill <= options.kills; kill++) {
      const victim = leading();
      if (victim === undefined) throw new Error('no leader');
      const was = leader;
      victim.child.kill('SIGKILL');
      const killedAt = performance.now();
      const replicas = kill % 2 === 1 ? 5 : 6;
      await scale(replicas);
      if (kill === options.stopMemberAtKill) await etcd.members[2]?.process.stop(2_000);
      await eventually(() => leader !== undefined && leader !== was && leading() !== undefined, `a follower to take over after kill ${String(kill)}`, TAKEOVER_MS);
      takeovers.push(performance.now() - killedAt);
      await eventually(() => live().length === replicas + 1, `the new leader to scale the pool to ${String(replicas + 1)} after kill ${String(kill)}`, TAKEOVER_MS);
      acting.push(performance.now() - killedAt);
      startRun();
    }
    await scale(6);
    await eventually(() => live().length === 7 && live().every((m) => m.status?.phase === 'Running') && machines.size === 7, 'the pool to converge: 7 Machines Running', CONVERGE_MS);
    const census = await takeSimCensus(simDir, new Set(live().map((m) => m.metadata.uid ?? '')));
    return { takeovers, acting, leadersAtEnd: alive().filter((r) => r === leading()).length, census };
  } finally {
    clearInterval(polling);
    watch.stop();
    for (const run of runs) run.child.kill('SIGKILL');
    await Promise.all(runs.map((r) => r.exited));
    await store.close();
    await etcd.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** "min …, median …, p90 …, max …" of times in ms. */
export function spread(ms: readonly number[]): string {
  const sorted = [...ms].sort((a, b) => a - b);
  const at = (q: number): string => `${((sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0) / 1000).toFixed(2)} s`;
  return `min ${at(0)}, median ${at(0.5)}, p90 ${at(0.9)}, max ${at(1)}`;
}
