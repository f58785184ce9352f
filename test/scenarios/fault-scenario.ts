import { PROVIDER_OPS } from '../../providers/types.js';
import { nodePool, spreadOverAccounts, strategy } from './manifests.js';
import { allRunning, type Scenario } from './scenarios.js';

/** The error classes a cloud throws that a controller must ride out (auth and invalidRequest are the user's to fix). */
const MIXED_KINDS = ['capacity', 'quota', 'throttled', 'transient'] as const;

/**
 * Each rule draws on its own, so a call fails with probability 1 - (1 - r)^4: r = 1 - 0.7^(1/4)
 * makes that 30 %.
 */
export const PER_KIND_RATE = 1 - Math.pow(0.7, 1 / MIXED_KINDS.length);

export const FAULTED_MACHINES = 6;

/**
 * The faulted controller's --offering-backoff. A capacity or quota error leaves an offering (for
 * quota, the whole account) out for this long, doubling while remembered, and the spread rule wants
 * every account, so a slot waits out each repeat: at the default 60 s, one run in ten drew three
 * quota errors in a row on one account and waited 60 + 120 + 240 s. Five seconds keeps what is
 * tested (faults are ridden out, each back-off is waited and doubled) and even a chain of five
 * repeats within the deadline (5 + 10 + 20 + 40 + 80 s).
 */
export const FAULTS_OFFERING_BACKOFF = '5s';

/** How long the faulted pool may take; it usually converges in 60–90 s. */
export const FAULTS_DEADLINE_MS = 300_000;

/**
 * Reconciles a pool may take to converge while 30 % of calls fail: each Machine needs a handful
 * to launch and become Running (create, poll while pending, status), and each failed call costs
 * one more plus its retry; the pool itself reconciles on every Machine change. 40 per Machine
 * is several times that and far below what a hot loop (a retry without back-off) reaches.
 */
export const RECONCILES_PER_MACHINE_BOUND = 40;

/** 30 % of every sim call fails with a mixed class, on every op; the pool must still converge. */
export function faultScenario(): Scenario {
  const pool = 'faulted';
  const names = ['a', 'b', 'c'].map((s) => `${pool}-${s}`);
  return {
    name: `with 30 % of sim calls failing (${MIXED_KINDS.join(', ')}) a spread pool of ${FAULTED_MACHINES} converges`,
    pool,
    steps: [{
      faultRules: PROVIDER_OPS.flatMap((op) => MIXED_KINDS.map((kind) => ({ op, kind, rate: PER_KIND_RATE }))),
      manifests: [
        strategy(pool, { pick: 'cheapest', accounts: names.map((name) => ({ name })) }),
        spreadOverAccounts(pool),
        nodePool(pool, { replicas: FAULTED_MACHINES, strategy: pool, placementRule: pool }),
      ],
      awaiting: `${FAULTED_MACHINES} Machines Running`,
      settled: (v) => allRunning(v, FAULTED_MACHINES),
      verify: () => undefined,
    }],
  };
}

/** The sum of controller_runtime_reconcile_total over every controller and result, from /metrics. */
export async function reconcileTotal(metricsUrl: string): Promise<number> {
  const text = await (await fetch(metricsUrl)).text();
  return text
    .split('\n')
    .filter((line) => line.startsWith('controller_runtime_reconcile_total'))
    .reduce((sum, line) => sum + Number(line.slice(line.lastIndexOf(' ') + 1)), 0);
}
