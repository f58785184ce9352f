import { isDeepStrictEqual } from 'node:util';
import { ConditionType } from '../../api/index.js';
import { done } from '../../runtime/controller/index.js';
import type { ReconcileContext, Result } from '../../runtime/controller/index.js';
import type { ObjectKey } from '../../runtime/store/index.js';
import { resolveOfferings } from '../offerings/index.js';
import type { ControllerDeps } from '../shared/index.js';
import { findCondition } from '../shared/index.js';
import { becameEmpty, strategyStatus } from './status.js';

/** Prices and catalogues change without any object changing: look again this often. */
export const STRATEGY_RESYNC_MS = 10 * 60_000;
/**
 * Sooner while an account cannot be read, since it may be a blip: this long after the first failed
 * reconcile, doubling while the failures go on, up to STRATEGY_RESYNC_MS. A cloud that fails every
 * call is asked less and less often, never in a loop.
 */
export const STRATEGY_PROBLEM_RETRY_MS = 60_000;

/** Failed reconciles in a row, per Strategy: the back-off of STRATEGY_PROBLEM_RETRY_MS. In memory. */
export type ProblemStreaks = Map<string, number>;

/** Resolves the Strategy's offerings and writes status (once, only if changed); a Warning event when it goes empty. */
export async function reconcileStrategy(deps: ControllerDeps, ctx: ReconcileContext, key: ObjectKey, streaks: ProblemStreaks = new Map()): Promise<Result> {
  const strategy = await deps.store.get('Strategy', key);
  const streakKey = `${key.namespace}/${key.name}`;
  if (strategy === undefined || strategy.metadata.deletionTimestamp !== undefined) {
    streaks.delete(streakKey);
    return done;
  }
  const resolved = await resolveOfferings(deps, key.namespace, strategy);
  const status = strategyStatus(strategy, resolved, deps.clock.now(), deps.priceTtlMs);
  if (!isDeepStrictEqual(strategy.status, status)) {
    await deps.store.updateStatus({ ...structuredClone(strategy), status });
    ctx.log.info({ offeringCount: status.offeringCount, problems: resolved.problems.length }, 'resolved strategy offerings');
  }
  if (becameEmpty(strategy.status, status)) {
    const message = findCondition(status.conditions, ConditionType.Ready)?.message ?? 'no offerings';
    deps.recorder.record(
      { kind: 'Strategy', namespace: key.namespace, name: key.name, ...(strategy.metadata.uid === undefined ? {} : { uid: strategy.metadata.uid }) },
      { type: 'Warning', reason: 'NoOfferings', action: 'Resolve', message },
    );
  }
  if (resolved.problems.length === 0) {
    streaks.delete(streakKey);
    return { requeueAfterMs: resyncMs(deps) };
  }
  const streak = (streaks.get(streakKey) ?? 0) + 1;
  streaks.set(streakKey, streak);
  return { requeueAfterMs: Math.min(resyncMs(deps), STRATEGY_PROBLEM_RETRY_MS * 2 ** (streak - 1)) };
}

/** A short price TTL is looked at eight times per TTL: fresh prices reach status before the old ones go stale, and PricesStale shows within an eighth of it. */
function resyncMs(deps: ControllerDeps): number {
  return deps.priceTtlMs === undefined ? STRATEGY_RESYNC_MS : Math.min(STRATEGY_RESYNC_MS, Math.ceil(deps.priceTtlMs / 8));
}
