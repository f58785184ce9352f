import type { NodePool, Strategy } from '../../api/index.js';
import { keyOf } from '../../runtime/store/index.js';
import type { ObjectKey, Store } from '../../runtime/store/index.js';

/** What uses a PlacementRule: the NodePools naming it and the Strategies those pools name. */
export interface RuleUsers {
  /** Pool names, sorted. */
  readonly pools: readonly string[];
  /** The pools' Strategies that exist, sorted by name. */
  readonly strategies: readonly Strategy[];
  /** Strategy names pools refer to that do not exist (yet). */
  readonly missingStrategies: readonly string[];
}

export async function findRuleUsers(store: Store, key: ObjectKey): Promise<RuleUsers> {
  const pools = (await store.list('NodePool', { namespace: key.namespace })).filter((p) => p.spec.placementRuleRef?.name === key.name);
  const names = [...new Set(pools.map((p) => p.spec.strategyRef.name))].sort();
  const found = await Promise.all(names.map((name) => store.get('Strategy', { namespace: key.namespace, name })));
  return {
    pools: pools.map((p) => p.metadata.name).sort(),
    strategies: found.filter((s): s is Strategy => s !== undefined),
    missingStrategies: names.filter((_, i) => found[i] === undefined),
  };
}

/** The rules of the pools in `namespace` that use Strategy `strategy`. */
export async function rulesUsingStrategy(store: Store, namespace: string, strategy: string): Promise<ObjectKey[]> {
  const pools = await store.list('NodePool', { namespace });
  return distinctRuleKeys(pools.filter((p) => p.spec.strategyRef.name === strategy));
}

export function ruleKeyOf(pool: NodePool): ObjectKey | undefined {
  const ref = pool.spec.placementRuleRef;
  return ref === undefined ? undefined : { namespace: keyOf(pool).namespace, name: ref.name };
}

function distinctRuleKeys(pools: readonly NodePool[]): ObjectKey[] {
  const keys = new Map<string, ObjectKey>();
  for (const pool of pools) {
    const key = ruleKeyOf(pool);
    if (key !== undefined) keys.set(`${key.namespace}/${key.name}`, key);
  }
  return [...keys.values()];
}
