import type { ControllerRegistration } from '../../runtime/manager/index.js';
import { observerOf } from '../observer/index.js';
import type { ControllerDeps } from '../shared/index.js';
import { reconcileMachine } from './controller.js';
import type { MachineMetrics } from './metrics.js';

/** Creates are slow network calls (seconds each): many Machines launch at once. */
export const MACHINE_MAX_CONCURRENT_RECONCILES = 50;

export interface MachineControllerOptions {
  /** Reconciles (so creates) at once; default MACHINE_MAX_CONCURRENT_RECONCILES. Each account's maxInFlight still bounds its calls. */
  readonly maxConcurrentReconciles?: number;
  /** Where spot interruptions are counted (registerMachineMetrics). */
  readonly metrics?: MachineMetrics;
}

/** The Machine controller: one cloud instance per Machine, created, watched, and terminated before the Machine goes. */
export function machineController(deps: ControllerDeps, options: MachineControllerOptions = {}): ControllerRegistration<'Machine'> {
  return {
    name: 'machine',
    kind: 'Machine',
    maxConcurrentReconciles: options.maxConcurrentReconciles ?? MACHINE_MAX_CONCURRENT_RECONCILES,
    // Running Machines learn of their instances' changes from the shared listings, not by polling.
    sources: [observerOf(deps).source()],
    reconcile: (ctx, key) => reconcileMachine(deps, ctx, key, options.metrics),
  };
}
