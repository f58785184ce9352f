import type { ProviderResolver } from '../shared/provider-resolver.js';
import type { ControllerDeps } from '../shared/deps.js';
import { FleetObserver } from './fleet-observer.js';

const fallbacks = new WeakMap<ProviderResolver, FleetObserver>();

/**
 * The process's FleetObserver (ControllerDeps.observer). Deps built without one (tests) get one per
 * provider resolver, so every controller built on the same providers still shares its listings.
 */
export function observerOf(deps: ControllerDeps): FleetObserver {
  if (deps.observer !== undefined) return deps.observer;
  let observer = fallbacks.get(deps.providers);
  if (observer === undefined) {
    observer = new FleetObserver({ clock: deps.clock, managedBy: deps.managedBy });
    fallbacks.set(deps.providers, observer);
  }
  return observer;
}
