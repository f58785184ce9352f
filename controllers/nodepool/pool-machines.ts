// The Machines a pool controls, and the pool's finalizer.

import { FINALIZER_NODEPOOL, LABEL_POOL, type Machine, type NodePool } from '../../api/index.js';
import { listReadOnly, type ReadonlyDeep, type Store } from '../../runtime/store/index.js';

/** A Machine as the store holds it: the pool reads its Machines, and writes each only by key. */
export type PoolMachine = ReadonlyDeep<Machine>;

/**
 * By label, then by controller owner UID: a pool deleted and re-created under the same name owns
 * none of the old one's. Not copies: a reconcile reads every Machine of the pool, and copying a
 * thousand of them, once per reconcile, was most of a large scale-out's CPU.
 */
export async function listPoolMachines(store: Store, pool: NodePool): Promise<readonly PoolMachine[]> {
  const machines = await listReadOnly(store, 'Machine', { namespace: pool.metadata.namespace ?? 'default', labelSelector: `${LABEL_POOL}=${pool.metadata.name}` });
  return machines.filter(controlledBy(pool));
}

export function controlledBy(pool: NodePool): (machine: PoolMachine) => boolean {
  return (m) => m.metadata.ownerReferences?.some((o) => o.controller === true && o.kind === 'NodePool' && o.uid === pool.metadata.uid) ?? false;
}

export function hasFinalizer(pool: NodePool): boolean {
  return pool.metadata.finalizers?.includes(FINALIZER_NODEPOOL) ?? false;
}

/** Adds the finalizer before any Machine exists, so no Machine can outlive a deleted pool unnoticed. */
export async function ensureFinalizer(store: Store, pool: NodePool): Promise<NodePool> {
  if (hasFinalizer(pool)) return pool;
  const next = structuredClone(pool);
  next.metadata.finalizers = [...(pool.metadata.finalizers ?? []), FINALIZER_NODEPOOL];
  return store.update({ ...next, kind: 'NodePool' });
}

export async function removeFinalizer(store: Store, pool: NodePool): Promise<void> {
  const next = structuredClone(pool);
  next.metadata.finalizers = (pool.metadata.finalizers ?? []).filter((f) => f !== FINALIZER_NODEPOOL);
  await store.update({ ...next, kind: 'NodePool' });
}
