// The NodePool controller as the manager runs it: its own kind, the Machines it owns, and the
// Strategies and PlacementRules its pools name.

import { mapKind, type ControllerRegistration } from '../../runtime/manager/index.js';
import { keyOf, type ObjectKey, type Store } from '../../runtime/store/index.js';
import type { ControllerDeps } from '../shared/index.js';
import { reconcileNodePool } from './controller.js';
import { randomSuffix } from './machine-object.js';
import type { PoolMetrics } from './metrics.js';

export const NODEPOOL_CONTROLLER = 'nodepool';

/**
 * How late a pool sees a change to one of its Machines. A pool's reconcile reads all its Machines;
 * in a scale-out each Machine changes three times (created, launched, running), and reconciling
 * on each change kept a 1,000-Machine pool reconciling back to back, half a core for nothing.
 * A Failed Machine is replaced this much later, which no one notices next to a cloud's boot time.
 */
export const MACHINE_CHANGE_DELAY_MS = 100;

export interface NodePoolControllerOptions {
  /** Machine name suffixes (five [a-z0-9]); injected so tests get known names. */
  readonly suffix?: () => string;
  /** Per-pool gauges (registerPoolMetrics on the manager's registry); absent, none. */
  readonly metrics?: PoolMetrics;
}

export function nodePoolController(deps: ControllerDeps, options: NodePoolControllerOptions = {}): ControllerRegistration<'NodePool'> {
  const actionDeps = { ...deps, suffix: options.suffix ?? (() => randomSuffix()), ...(options.metrics === undefined ? {} : { metrics: options.metrics }) };
  return {
    name: NODEPOOL_CONTROLLER,
    kind: 'NodePool',
    reconcile: (ctx, key) => reconcileNodePool(actionDeps, ctx, key),
    owns: ['Machine'],
    ownedChangeDelayMs: MACHINE_CHANGE_DELAY_MS,
    watches: [
      // A missing Strategy or PlacementRule is a condition; its creation (or any edit) wakes the pools naming it.
      mapKind('Strategy', (s) => poolsNaming(deps.store, keyOf(s), (ref) => ref.strategyRef.name)),
      mapKind('PlacementRule', (r) => poolsNaming(deps.store, keyOf(r), (ref) => ref.placementRuleRef?.name)),
    ],
  };
}

type RefOf = (spec: { strategyRef: { name: string }; placementRuleRef?: { name: string } | undefined }) => string | undefined;

async function poolsNaming(store: Store, key: ObjectKey, refOf: RefOf): Promise<ObjectKey[]> {
  const pools = await store.list('NodePool', { namespace: key.namespace });
  return pools.filter((p) => refOf(p.spec) === key.name).map(keyOf);
}

