import type { ObjectKey } from '../store/index.js';
import { FakeClock } from '../testing/fake-clock.js';
import { capturingLogger } from '../testing/log-capture.js';
import { MemoryStore } from '../testing/memory-store.js';
import { Manager, type ManagerOptions } from './manager.js';

export const NS = 'default';

/** A manager on a MemoryStore and a fake clock, with the log lines a test can read. */
export function managerFixture(options: Partial<ManagerOptions> = {}) {
  const clock = new FakeClock();
  const store = new MemoryStore();
  const { log, lines } = capturingLogger();
  let ids = 0;
  const manager = new Manager({ store, log, clock, timers: clock, newReconcileId: () => `r${++ids}`, ...options });
  return { clock, store, log, lines, manager };
}

/** Reconciles recorded as "namespace/name" per controller. */
export function recorder() {
  const seen: string[] = [];
  return {
    seen,
    reconcile: (_ctx: unknown, key: ObjectKey) => {
      seen.push(`${key.namespace}/${key.name}`);
      return Promise.resolve({});
    },
    clear: () => seen.splice(0),
  };
}
