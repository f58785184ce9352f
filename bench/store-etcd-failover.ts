// Leader failover on etcd as users meet it, with the default leader lease (15 s): three
// `polyfleet run --store etcd://…` on a 3-member etcd cluster (started here), the leader SIGKILLed
// again and again; each time, how long until another process holds the leader key, and until it has
// acted (scaled the pool). The new leader must act within the lease.
//   npm run bench:store (all backends), or npx tsx bench/store-etcd-failover.ts [KILLS]
import { fileURLToPath } from 'node:url';
import { DEFAULT_LEADER_LEASE_SECONDS } from '../runtime/store/etcd/leader-timing.js';
import { failoverDrill, spread } from '../test/etcd/failover-drill.js';
import type { Figure } from './store-file.js';

export async function benchEtcdFailover(kills = 20): Promise<Figure[]> {
  const { takeovers, acting } = await failoverDrill({ kills });
  const within = acting.filter((ms) => ms <= DEFAULT_LEADER_LEASE_SECONDS * 1000).length;
  return [
    { what: `leader failover after SIGKILL, ${String(kills)} kills, 3 processes on 3 members (lease ${String(DEFAULT_LEADER_LEASE_SECONDS)} s): kill → new leader`, value: spread(takeovers) },
    { what: 'leader failover: kill → new leader acted (scaled the pool)', value: spread(acting) },
    { what: 'leader failover: acted within the lease', value: `${String(within)} of ${String(kills)}` },
  ];
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const kills = Number(process.argv[2] ?? 20);
  for (const f of await benchEtcdFailover(kills)) process.stdout.write(`${f.what}  ${f.value}\n`);
}
