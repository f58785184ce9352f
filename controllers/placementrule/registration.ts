import type { NodePool } from '../../api/index.js';
import { mapKind } from '../../runtime/manager/index.js';
import type { ControllerRegistration } from '../../runtime/manager/index.js';
import { keyOf, keyString } from '../../runtime/store/index.js';
import type { ObjectKey } from '../../runtime/store/index.js';
import type { ControllerDeps } from '../shared/index.js';
import { reconcilePlacementRule } from './controller.js';
import { ruleKeyOf, rulesUsingStrategy } from './rule-users.js';

/**
 * The PlacementRule controller. A NodePool change reconciles the rule it names (and the one it
 * named before, so a rule a pool left drops that pool's domains); a Strategy change reconciles the
 * rules of the pools using it.
 */
export function placementRuleController(deps: ControllerDeps): ControllerRegistration<'PlacementRule'> {
  const poolRules = poolRuleTracker();
  return {
    name: 'placementrule',
    kind: 'PlacementRule',
    reconcile: (ctx, key) => reconcilePlacementRule(deps, ctx, key),
    watches: [
      mapKind('NodePool', (pool) => poolRules.rulesOf(pool)),
      mapKind('Strategy', (strategy) => rulesUsingStrategy(deps.store, keyOf(strategy).namespace, strategy.metadata.name)),
    ],
  };
}

/** Maps a pool to its rule and the rule it named when last seen, as controller-runtime does for owners. */
export function poolRuleTracker(): { rulesOf(pool: NodePool): ObjectKey[] } {
  const lastRule = new Map<string, ObjectKey>();
  return {
    rulesOf(pool) {
      const poolKey = keyString(keyOf(pool));
      const current = pool.metadata.deletionTimestamp === undefined ? ruleKeyOf(pool) : undefined;
      const previous = lastRule.get(poolKey);
      if (current === undefined) lastRule.delete(poolKey);
      else lastRule.set(poolKey, current);
      // A pool being deleted still names its rule, which must drop the pool once it is gone.
      const named = ruleKeyOf(pool);
      const keys = [previous, current ?? named].filter((k): k is ObjectKey => k !== undefined);
      return [...new Map(keys.map((k) => [keyString(k), k])).values()];
    },
  };
}
