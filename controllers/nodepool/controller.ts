// The NodePool reconcile (docs/architecture.md "Conventions"): fetch, finalizer, observe, plan,
// act, status once at the end.

import { isDeepStrictEqual } from 'node:util';
import { ConditionType, desiredMachineCount, Reason, type NodePool, type Strategy } from '../../api/index.js';
import { done, type ReconcileContext, type Result } from '../../runtime/controller/index.js';
import { keyOf, type ObjectKey } from '../../runtime/store/index.js';
import { findCondition, type ControllerDeps } from '../shared/index.js';
import { applyPlan, type ActionDeps } from './actions.js';
import { recordPoolEvent } from './events.js';
import { reconcileDelete } from './deletion.js';
import { observeWorld, type PlacementWorld, type World } from './observe.js';
import { planPool, type PoolPlan } from './plan.js';
import { ensureFinalizer, listPoolMachines, type PoolMachine } from './pool-machines.js';
import { noPoolMetrics, type PoolMetrics } from './metrics.js';
import { remediationMessage, remediationOf, withReplacements, type Remediation } from './remediation.js';
import { poolStatus, type StatusInput } from './status.js';

export interface NodePoolDeps extends ActionDeps {
  /** Per-pool gauges, set from each status the reconcile computes. */
  readonly metrics?: PoolMetrics;
}

export async function reconcileNodePool(deps: NodePoolDeps, ctx: ReconcileContext, key: ObjectKey): Promise<Result> {
  const found = await deps.store.get('NodePool', key);
  if (found === undefined) {
    (deps.metrics ?? noPoolMetrics).forget(key);
    return done;
  }
  if (found.metadata.deletionTimestamp !== undefined) return reconcileDelete(deps, ctx, found);
  const pool = await ensureFinalizer(deps.store, found);
  const machines = await listPoolMachines(deps.store, pool);
  const world = unreadableMachines(deps, pool) ?? (await observeWorld(deps, pool));
  if (world.kind === 'blocked') {
    recordPoolEvent(deps, pool, 'Warning', world.blocker.reason, 'Reconcile', world.blocker.message);
    await writeStatus(deps, { pool, machines, now: deps.clock.now(), outcome: world });
    return done;
  }
  for (const problem of world.problems) ctx.log.warn({ problem }, 'skipped unreadable provider account');
  const now = deps.clock.now();
  const remediation = remediationOf(pool, desiredMachineCount(pool.spec.replicas, pool.spec.redundancy), now);
  const plan = planWith(deps, world, pool, machines, remediation.allowed);
  reportPlanProblems(deps, pool, plan, remediation);
  let recentReplacements = remediation.recent;
  let written = pool;
  if (!pool.spec.paused && !pool.spec.dryRun) {
    const replacing = plan.deletes.filter((d) => d.reason === 'failed').length;
    if (replacing > 0) {
      // Counted before the deletes: a crash between them must not forget a replacement.
      const counted = withReplacements(remediation.recent, replacing, now);
      recentReplacements = counted;
      written = await deps.store.updateStatus({ ...pool, kind: 'NodePool', status: { ...pool.status, recentReplacements: counted } });
    }
    await applyPlan(deps, ctx, written, plan, world.strategy.spec.providers);
  }
  const maxHourlyTotal = world.strategy.spec.budget?.maxHourlyTotal;
  const stale = findCondition(world.strategy.status?.conditions, ConditionType.PricesStale);
  const outcome = {
    kind: 'planned' as const,
    plan,
    maxHourlyTotal,
    problems: world.problems,
    remediation: { ...remediation, recent: recentReplacements },
    ...(stale?.status === 'True' ? { stalePrices: stale.message } : {}),
  };
  await writeStatus(deps, { pool: written, machines, now: deps.clock.now(), outcome });
  const waits = [plan.unplaced.length > 0 ? lookAgain(deps, world.problems.length > 0).requeueAfterMs : undefined, plan.held.length > 0 ? remediation.nextExpiryMs : undefined];
  const soonest = Math.min(...waits.filter((ms) => ms !== undefined));
  return Number.isFinite(soonest) ? { requeueAfterMs: soonest } : done;
}

/**
 * A Machine this version cannot read (a field of a newer version's, after a rollback) may fill any
 * slot of the pools of its namespace: creating a Machine for that slot could run a second instance,
 * deleting one could leave the slot empty. So the pool changes nothing until every Machine reads.
 */
function unreadableMachines(deps: ControllerDeps, pool: NodePool): World | undefined {
  const namespace = pool.metadata.namespace ?? 'default';
  const unreadable = deps.store.unreadable('Machine', namespace);
  if (unreadable.length === 0) return undefined;
  const names = unreadable.slice(0, 3).map((u) => u.name).join(', ');
  const message = `${unreadable.length} Machines of namespace ${namespace} cannot be read by this version of polyfleet (${names}); no Machine is created or deleted until they can (roll forward, or fix or remove them)`;
  return { kind: 'blocked', blocker: { reason: Reason.MachinesUnreadable, message, invalidSpec: false } };
}

/**
 * While an account's catalogue cannot be read (throttled, a 5xx, bad credentials), slots it could
 * serve stay unplaced; nothing in the store changes when the cloud recovers, so look again soon.
 */
export const UNREADABLE_ACCOUNT_RETRY_MS = 15_000;

/** A slot waiting for an offering, a domain or an account to come back looks again when the first can have. */
function lookAgain(deps: ControllerDeps, accountsUnreadable: boolean): { readonly requeueAfterMs?: number } {
  const nextExpiryMs = deps.backoff.nextExpiryMs();
  const waits = [nextExpiryMs, accountsUnreadable ? UNREADABLE_ACCOUNT_RETRY_MS : undefined].filter((ms) => ms !== undefined);
  return waits.length === 0 ? done : { requeueAfterMs: Math.min(...waits) };
}

function planWith(deps: ControllerDeps, world: PlacementWorld, pool: NodePool, machines: readonly PoolMachine[], replaceBudget: number): PoolPlan {
  return planPool({
    replaceBudget,
    isRetired: retiredBy(world.strategy),
    poolUid: pool.metadata.uid ?? pool.metadata.name,
    spec: pool.spec,
    pick: world.strategy.spec.pick,
    maxHourlyTotal: world.strategy.spec.budget?.maxHourlyTotal,
    offerings: world.offerings,
    levels: world.levels,
    placement: world.placement,
    leaves: world.leaves,
    isOut: (path) => deps.backoff.isOut(path),
    machines,
  });
}

/**
 * A Machine whose account, or whose region in an account that lists its regions, is no longer in
 * the Strategy: removed on purpose, so the pool moves it out (paced by maxUnavailable), and its
 * instance is terminated through the account record the Machine carries.
 */
function retiredBy(strategy: Strategy): (machine: PoolMachine) => boolean {
  return (machine) => {
    const account = strategy.spec.providers.find((p) => p.name === machine.spec.provider && p.type === machine.spec.providerType);
    if (account === undefined) return true;
    const regions = account.regions ?? [];
    return regions.length > 0 && !regions.includes(machine.spec.region);
  };
}

function reportPlanProblems(deps: ControllerDeps, pool: NodePool, plan: PoolPlan, remediation: Remediation): void {
  if (plan.held.length > 0) {
    const message = remediationMessage(plan.held.length, remediation, pool.spec.remediation.windowSeconds);
    recordPoolEvent(deps, pool, 'Warning', Reason.TooManyFailed, 'Remediate', message);
  }
  const [first] = plan.unplaced;
  if (first !== undefined) recordPoolEvent(deps, pool, 'Warning', Reason.Unplaceable, 'Place', `${plan.unplaced.length} slots cannot be placed now; ${first.explanation}`);
  if (plan.budgetBlock !== undefined) recordPoolEvent(deps, pool, 'Warning', Reason.BudgetExceeded, 'Create', plan.budgetBlock.message);
}

/**
 * Once, at the end, and only if something changed: an unchanged status is no write and wakes no
 * watcher. The gauges follow the computed status, written or not.
 */
async function writeStatus(deps: NodePoolDeps, input: StatusInput): Promise<void> {
  const status = poolStatus(input);
  (deps.metrics ?? noPoolMetrics).observe(keyOf(input.pool), status, input.machines);
  // Not a string compare: the API server hands objects back with their keys sorted.
  if (isDeepStrictEqual(status, input.pool.status ?? {})) return;
  await deps.store.updateStatus({ ...input.pool, kind: 'NodePool', status });
}
