import { FINALIZER_MACHINE } from '../../api/index.js';
import type { Machine } from '../../api/index.js';
import type { Store } from '../../runtime/store/index.js';
import { namespaceOf } from './scope.js';

export function hasFinalizer(machine: Machine): boolean {
  return machine.metadata.finalizers?.includes(FINALIZER_MACHINE) ?? false;
}

/**
 * Stores the finalizer before anything touches the cloud, so no instance can exist that a deletion
 * would skip. The resourceVersion in the patch makes it a precondition: a stale read conflicts
 * rather than overwriting another writer's finalizers. Returns the Machine as stored.
 */
export async function ensureFinalizer(store: Store, machine: Machine): Promise<Machine> {
  if (hasFinalizer(machine)) return machine;
  const finalizers = [...(machine.metadata.finalizers ?? []), FINALIZER_MACHINE];
  return writeFinalizers(store, machine, finalizers);
}

/** The last step of a deletion: the instance is known gone, so the Machine may go. */
export async function removeFinalizer(store: Store, machine: Machine): Promise<void> {
  const finalizers = (machine.metadata.finalizers ?? []).filter((f) => f !== FINALIZER_MACHINE);
  await writeFinalizers(store, machine, finalizers);
}

function writeFinalizers(store: Store, machine: Machine, finalizers: string[]): Promise<Machine> {
  const key = { namespace: namespaceOf(machine), name: machine.metadata.name };
  const metadata = { finalizers, ...(machine.metadata.resourceVersion === undefined ? {} : { resourceVersion: machine.metadata.resourceVersion }) };
  return store.patch('Machine', key, { type: 'merge', patch: { metadata } });
}
