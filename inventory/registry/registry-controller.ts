import type { ControllerRegistration, ControllerSource } from '../../runtime/manager/index.js';
import { done } from '../../runtime/controller/index.js';
import type { Logger } from '../../runtime/log.js';
import { getReadOnly, type ObjectKey, type Store } from '../../runtime/store/index.js';
import type { MachineNames } from './machine-names.js';
import type { RegistryWriter } from './registry-writer.js';

/** How often the registry's own keys are listed, so those of Machines gone while no one watched are removed. */
export const REGISTRY_SWEEP_MS = 30_000;

export interface RegistryControllerOptions {
  readonly store: Store;
  readonly writer: RegistryWriter;
  /** Names used in several namespaces: such a Machine is offered under `unclustered/<namespace>/<name>`. */
  readonly names: MachineNames;
  readonly log: Logger;
  readonly sweepMs?: number;
}

/**
 * The node registry as a controller of Machines: each reconcile makes one Machine's keys (host,
 * unclustered offer, DNS record) match it. It runs only where the manager leads, so one process
 * writes the registry. At start and every sweep it also reconciles each Machine the registry has
 * keys of: a Machine deleted while no process led (a crash, a restart) loses its keys then.
 */
export function registryController(options: RegistryControllerOptions): ControllerRegistration<'Machine'> {
  const { store, writer, names } = options;
  return {
    name: 'registry',
    kind: 'Machine',
    async reconcile(_ctx, key) {
      await names.synced;
      await writer.sync(key, await getReadOnly(store, 'Machine', key), names.shared(key.name, key.namespace));
      return done;
    },
    sources: [sweep(writer, options.log, options.sweepMs ?? REGISTRY_SWEEP_MS)],
  };
}

function sweep(writer: RegistryWriter, log: Logger, everyMs: number): ControllerSource {
  return {
    start(enqueue: (key: ObjectKey) => void) {
      let stopped = false;
      const once = (): void => {
        writer.machinesWithKeys().then(
          (keys) => {
            if (!stopped) for (const key of keys) enqueue(key);
          },
          (err: unknown) => { log.warn({ err }, 'could not list the node registry; retrying at the next sweep'); },
        );
      };
      once();
      const timer = setInterval(once, everyMs);
      return () => {
        stopped = true;
        clearInterval(timer);
      };
    },
  };
}
