// The pool's status, derived purely from what the reconcile saw and did.

import {
  ConditionType,
  desiredMachineCount,
  LABEL_POOL,
  microsToMoney,
  moneyToMicros,
  Reason,
  type Condition,
  type NodePool,
  type NodePoolStatus,
  type PlannedNode,
} from '../../api/index.js';
import { setCondition, type NewCondition } from '../shared/index.js';
import { isTerminating } from './existing-machines.js';
import type { PoolPlan } from './plan.js';
import { remediationMessage, type Remediation } from './remediation.js';
import type { PoolMachine as Machine } from './pool-machines.js';

/** Why nothing could be planned: a missing reference or an invalid spec. */
export interface Blocker {
  readonly reason: string;
  readonly message: string;
  /** True when the pool's own spec (or its rule) is wrong, not just waiting for an object. */
  readonly invalidSpec: boolean;
}

export interface StatusInput {
  readonly pool: NodePool;
  /** The pool's Machines as observed at the start of the reconcile. */
  readonly machines: readonly Machine[];
  readonly now: Date;
  readonly outcome: { readonly kind: 'blocked'; readonly blocker: Blocker } | PlannedOutcome;
}

export interface PlannedOutcome {
  readonly kind: 'planned';
  readonly plan: PoolPlan;
  readonly maxHourlyTotal?: string | undefined;
  /** Accounts whose catalogue could not be read: why a slot may have found nothing. */
  readonly problems: readonly string[];
  /** Replacements within the window, after this reconcile's; absent: as the pool's status has them. */
  readonly remediation?: Remediation;
  /** The Strategy's PricesStale message while it is True: the budget was judged on those prices. */
  readonly stalePrices?: string;
}

export function poolStatus(input: StatusInput): NodePoolStatus {
  const { pool, outcome } = input;
  const live = input.machines.filter((m) => !isTerminating(m));
  const running = live.filter((m) => m.status?.phase === 'Running');
  const desired = outcome.kind === 'planned' ? outcome.plan.desired : desiredMachineCount(pool.spec.replicas, pool.spec.redundancy);
  const conditions = outcome.kind === 'blocked' ? blockedConditions(outcome.blocker) : plannedConditions(pool, outcome, running.length, live);
  const generation = pool.metadata.generation ?? 0;
  const plan = outcome.kind === 'planned' && pool.spec.dryRun ? { plan: [...outcome.plan.nodes] } : {};
  const recent = outcome.kind === 'planned' && outcome.remediation !== undefined ? outcome.remediation.recent : (pool.status?.recentReplacements ?? []);
  return {
    observedGeneration: generation,
    replicas: live.length,
    readyReplicas: running.length,
    desiredReplicas: desired,
    selector: `${LABEL_POOL}=${pool.metadata.name}`,
    hourlyCost: microsToMoney(running.reduce((sum, m) => sum + moneyToMicros(m.status?.hourlyPrice ?? '0'), 0)),
    spotReplicas: live.filter((m) => m.spec.capacityType === 'spot').length,
    spotHourlyCost: microsToMoney(running.filter((m) => m.spec.capacityType === 'spot').reduce((sum, m) => sum + moneyToMicros(m.status?.hourlyPrice ?? '0'), 0)),
    domains: domainCounts(live, outcome.kind === 'planned' ? outcome.plan.nodes : []),
    ...(recent.length === 0 ? {} : { recentReplacements: [...recent] }),
    ...plan,
    conditions: conditions.reduce<Condition[]>((list, c) => setCondition(list, c, generation, input.now), pool.status?.conditions ?? []),
  };
}

function blockedConditions(b: Blocker): NewCondition[] {
  return [
    { type: ConditionType.Ready, status: 'False', reason: b.reason, message: b.message },
    { type: ConditionType.Progressing, status: 'False', reason: b.reason, message: b.message },
    { type: ConditionType.Degraded, status: 'True', reason: b.reason, message: b.message },
    b.invalidSpec
      ? { type: ConditionType.InvalidSpec, status: 'True', reason: b.reason, message: b.message }
      : { type: ConditionType.InvalidSpec, status: 'False', reason: Reason.SpecValid, message: 'the spec is valid' },
  ];
}

function plannedConditions(pool: NodePool, outcome: PlannedOutcome, ready: number, live: readonly Machine[]): NewCondition[] {
  const { plan } = outcome;
  const counts = `${ready}/${plan.desired} Machines Running`;
  const readyCondition: NewCondition =
    ready >= plan.desired
      ? { type: ConditionType.Ready, status: 'True', reason: Reason.AllReady, message: counts }
      : { type: ConditionType.Ready, status: 'False', reason: pool.spec.dryRun ? Reason.DryRun : Reason.MachinesNotReady, message: counts };
  return [
    readyCondition,
    progressing(pool, plan, live, counts),
    degraded(outcome, live),
    budgetExceeded(outcome),
    { type: ConditionType.InvalidSpec, status: 'False', reason: Reason.SpecValid, message: 'the spec is valid' },
    remediationPaused(pool, outcome),
  ];
}

function budgetExceeded({ plan, maxHourlyTotal: cap, stalePrices }: PlannedOutcome): NewCondition {
  const type = ConditionType.BudgetExceeded;
  // A budget judged on prices from a table or an old API read may be wrong either way: say so.
  const onStalePrices = stalePrices === undefined ? '' : `; judged on stale prices (${stalePrices})`;
  if (plan.budgetBlock !== undefined) return { type, status: 'True', reason: Reason.BudgetExceeded, message: `${plan.budgetBlock.message}${onStalePrices}` };
  if (cap === undefined) return { type, status: 'False', reason: Reason.WithinBudget, message: 'no maxHourlyTotal' };
  return { type, status: 'False', reason: Reason.WithinBudget, message: `within maxHourlyTotal $${cap}${onStalePrices}` };
}

function remediationPaused(pool: NodePool, { plan, remediation }: PlannedOutcome): NewCondition {
  const type = ConditionType.RemediationPaused;
  if (plan.held.length > 0 && remediation !== undefined) {
    return { type, status: 'True', reason: Reason.TooManyFailed, message: remediationMessage(plan.held.length, remediation, pool.spec.remediation.windowSeconds) };
  }
  return { type, status: 'False', reason: Reason.WithinLimit, message: `failed Machines are replaced, at most ${remediation?.limit ?? 'a share'} within ${pool.spec.remediation.windowSeconds} s (remediation.maxUnhealthy ${pool.spec.remediation.maxUnhealthy})` };
}

function progressing(pool: NodePool, plan: PoolPlan, live: readonly Machine[], counts: string): NewCondition {
  const type = ConditionType.Progressing;
  if (pool.spec.dryRun) return { type, status: 'False', reason: Reason.DryRun, message: `dryRun: ${plan.creates.length} Machines would be created, ${plan.deletes.length} deleted` };
  if (pool.spec.paused) return { type, status: 'False', reason: Reason.Paused, message: `paused: ${plan.creates.length} creates and ${plan.deletes.length} deletes wait` };
  if (plan.creates.length > 0) return { type, status: 'True', reason: Reason.ScalingUp, message: `creating ${plan.creates.length} Machines; ${counts}` };
  const scaleDowns = plan.deletes.filter((d) => d.reason === 'scaleDown').length;
  if (scaleDowns > 0) return { type, status: 'True', reason: Reason.ScalingDown, message: `deleting ${scaleDowns} Machines; ${counts}` };
  if (plan.deletes.length > 0) return { type, status: 'True', reason: Reason.Replacing, message: `replacing ${plan.deletes.length} Machines; ${counts}` };
  const waiting = live.filter((m) => m.status?.phase !== 'Running').length + plan.terminating.length;
  if (waiting > 0) return { type, status: 'True', reason: Reason.MachinesNotReady, message: `${waiting} Machines starting or terminating; ${counts}` };
  return { type, status: 'False', reason: Reason.Stable, message: counts };
}

function degraded({ plan, problems }: PlannedOutcome, live: readonly Machine[]): NewCondition {
  const type = ConditionType.Degraded;
  const [first] = plan.unplaced;
  if (first !== undefined) {
    const unreadable = problems.length === 0 ? '' : `; unreadable accounts: ${problems.join('; ')}`;
    return { type, status: 'True', reason: Reason.Unplaceable, message: `${plan.unplaced.length} slots cannot be placed now; ${first.explanation}${unreadable}` };
  }
  const failed = live.filter((m) => m.status?.phase === 'Failed');
  if (failed.length > 0) {
    const names = failed.map((m) => `${m.metadata.name} (${m.status?.failureReason ?? 'Failed'})`).slice(0, 5);
    return { type, status: 'True', reason: Reason.MachinesFailed, message: `${failed.length} Machines failed: ${names.join(', ')}` };
  }
  return { type, status: 'False', reason: Reason.AsExpected, message: 'every slot is placed' };
}

/** Machines and Running Machines per domain, against its share: the desired slots placed there. */
function domainCounts(live: readonly Machine[], slots: readonly PlannedNode[]): NonNullable<NodePoolStatus['domains']> {
  const counts = new Map<string, { replicas: number; readyReplicas: number; desiredReplicas: number }>();
  const countOf = (domain: string) => counts.get(domain) ?? { replicas: 0, readyReplicas: 0, desiredReplicas: 0 };
  for (const m of live) {
    const c = countOf(m.spec.failureDomain);
    counts.set(m.spec.failureDomain, { ...c, replicas: c.replicas + 1, readyReplicas: c.readyReplicas + (m.status?.phase === 'Running' ? 1 : 0) });
  }
  for (const { domain } of slots) {
    if (domain === undefined) continue;
    const c = countOf(domain);
    counts.set(domain, { ...c, desiredReplicas: c.desiredReplicas + 1 });
  }
  return [...counts].sort(([a], [b]) => (a < b ? -1 : 1)).map(([domain, c]) => ({ domain, ...c }));
}
