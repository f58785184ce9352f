import { describe, expect, it } from '@jest/globals';
import { failoverDrill, spread } from './failover-drill.js';

const KILLS = 20;
/** A short leader lease keeps 20 failovers cheap; the default (15 s) is the bench's. */
const LEASE_SECONDS = 4;

/**
 * Three `polyfleet run` processes on a 3-member etcd cluster, as on three machines: exactly one
 * leads; SIGKILL the leader again and again (and stop one etcd member once), scaling the pool after
 * each kill: a follower takes over and acts each time, and the pool ends converged with no instance
 * leaked or created twice.
 */
describe('three polyfleet run on a 3-member etcd, the leader SIGKILLed repeatedly', () => {
  it(`hands over to a follower that acts after each of ${String(KILLS)} leader kills and one etcd member stopped; 0 leaked, 0 duplicates`, async () => {
    const result = await failoverDrill({ kills: KILLS, leaseSeconds: LEASE_SECONDS, stopMemberAtKill: 2 });
    console.log(`leader failover over ${String(KILLS)} SIGKILLs, lease ${String(LEASE_SECONDS)} s (one etcd member stopped at kill 2):\n  kill → new leader: ${spread(result.takeovers)}\n  kill → new leader acted (scaled the pool): ${spread(result.acting)}`);
    expect(result.takeovers).toHaveLength(KILLS);
    expect(result.leadersAtEnd).toBe(1);
    const { leaked, duplicates, machinesWithoutOneInstance } = result.census;
    expect({ leaked, duplicates, machinesWithoutOneInstance }).toEqual({ leaked: [], duplicates: [], machinesWithoutOneInstance: [] });
  }, 900_000);
});
