// Leader failover on etcd as users meet it: three `polyfleet run --store etcd://…` processes on a
// 3-member etcd cluster (started here), the leader SIGKILLed again and again; each time, how long
// until another process holds the leader key. A killed leader cannot revoke its lease, so this is
// the lease TTL (15 s) plus a follower's next try.
//   npm run bench:store (all backends), or npx tsx bench/store-etcd-failover.ts [KILLS]
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { pino } from 'pino';
import { startPolyfleet, type BackgroundPolyfleet } from '../cli/testing/cli-process.js';
import { openEtcdStore } from '../runtime/store/etcd/index.js';
import { startEtcdCluster } from '../test/etcd/etcd-cluster.js';
import type { Figure } from './store-file.js';

const PROCESSES = 3;
const GIVE_UP_MS = 60_000;

export async function benchEtcdFailover(kills = 20): Promise<Figure[]> {
  const etcd = await startEtcdCluster({ members: 3 });
  const dir = mkdtempSync(join(tmpdir(), 'polyfleet-bench-failover-'));
  const store = await openEtcdStore({ endpoints: etcd.hosts.split(','), logger: pino({ level: 'silent' }), callTimeoutMs: 2_000 });
  const runs: BackgroundPolyfleet[] = [];
  const start = (): void => {
    runs.push(startPolyfleet(dir, ['run', '--store', `etcd://${etcd.hosts}`, '--port', '0', '--sim-dir', join(dir, 'sim')]));
  };
  /** The live run holding the leader key (its identity is host_pid_random), polled every 50 ms. */
  const leading = async (other: string | undefined): Promise<{ identity: string; run: BackgroundPolyfleet }> => {
    const deadline = Date.now() + GIVE_UP_MS;
    for (;;) {
      const identity = await store.leader().catch(() => undefined);
      const run = runs.find((r) => r.child.exitCode === null && r.child.signalCode === null && identity?.split('_').at(-2) === String(r.child.pid));
      if (identity !== undefined && identity !== other && run !== undefined) return { identity, run };
      if (Date.now() > deadline) throw new Error(`no process took the lead in ${String(GIVE_UP_MS)} ms`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  };
  const times: number[] = [];
  try {
    for (let i = 0; i < PROCESSES; i++) start();
    let current = await leading(undefined);
    for (let i = 0; i < kills; i++) {
      current.run.child.kill('SIGKILL');
      const killedAt = performance.now();
      current = await leading(current.identity);
      times.push(performance.now() - killedAt);
      start();
    }
  } finally {
    for (const run of runs) run.child.kill('SIGKILL');
    await Promise.all(runs.map((r) => r.exited));
    await store.close();
    await etcd.stop();
    rmSync(dir, { recursive: true, force: true });
  }
  const sorted = [...times].sort((a, b) => a - b);
  const at = (q: number): string => `${((sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0) / 1000).toFixed(1)} s`;
  return [
    { what: `leader failover after SIGKILL, ${String(kills)} kills, 3 processes on 3 members (lease 15 s): min`, value: at(0) },
    { what: 'leader failover: median', value: at(0.5) },
    { what: 'leader failover: p90', value: at(0.9) },
    { what: 'leader failover: max', value: at(1) },
  ];
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const kills = Number(process.argv[2] ?? 20);
  for (const f of await benchEtcdFailover(kills)) process.stdout.write(`${f.what}  ${f.value}\n`);
}
