import type { ControllerRegistration } from '../../runtime/manager/index.js';
import type { ControllerDeps } from '../shared/index.js';
import { reconcileStrategy, type ProblemStreaks } from './controller.js';

/** The Strategy controller: status.offerings and Ready/NoOfferings, refreshed every 10 minutes. */
export function strategyController(deps: ControllerDeps): ControllerRegistration<'Strategy'> {
  const streaks: ProblemStreaks = new Map();
  return {
    name: 'strategy',
    kind: 'Strategy',
    reconcile: (ctx, key) => reconcileStrategy(deps, ctx, key, streaks),
  };
}
