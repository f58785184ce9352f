import type { ControllerRegistration } from '../../runtime/manager/index.js';
import { observerOf } from '../observer/index.js';
import type { ControllerDeps } from '../shared/index.js';
import { reconcileMachine } from './controller.js';

/** Creates are slow network calls (seconds each): many Machines launch at once. */
const MAX_CONCURRENT_RECONCILES = 50;

/** The Machine controller: one cloud instance per Machine, created, watched, and terminated before the Machine goes. */
export function machineController(deps: ControllerDeps): ControllerRegistration<'Machine'> {
  return {
    name: 'machine',
    kind: 'Machine',
    maxConcurrentReconciles: MAX_CONCURRENT_RECONCILES,
    // Running Machines learn of their instances' changes from the shared listings, not by polling.
    sources: [observerOf(deps).source()],
    reconcile: (ctx, key) => reconcileMachine(deps, ctx, key),
  };
}
