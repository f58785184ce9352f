import type { ControllerRegistration } from '../../runtime/manager/index.js';
import type { ControllerDeps } from '../shared/index.js';
import { reconcileStrategy } from './controller.js';

/** The Strategy controller: status.offerings and Ready/NoOfferings, refreshed every 10 minutes. */
export function strategyController(deps: ControllerDeps): ControllerRegistration<'Strategy'> {
  return {
    name: 'strategy',
    kind: 'Strategy',
    reconcile: (ctx, key) => reconcileStrategy(deps, ctx, key),
  };
}
