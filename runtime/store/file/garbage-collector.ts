import { isKind } from '../../../api/index.js';
import type { ObjectIndex } from './object-index.js';
import type { StoredObject, TxnOp } from './state-records.js';
import type { WriteContext } from './write-context.js';

/**
 * The cluster's garbage collector, done by the writer: the operations that delete what `ops`
 * orphaned — dependents of a removed object, and an object written with owners that are all gone
 * — as Kubernetes' background propagation would, after their owner: a dependent with finalizers
 * gets a deletionTimestamp and waits for them; one without goes, and its own dependents follow.
 * They join the same transaction, so a crash never leaves orphans behind.
 */
export function cascadeOps(objects: ObjectIndex, ops: readonly TxnOp[], ctx: WriteContext): TxnOp[] {
  const latest = new Map<string, StoredObject | null>();
  const queue: StoredObject[] = [];
  for (const op of ops) {
    if (op.op === 'event') continue;
    const uid = uidOf(op.object);
    latest.set(uid, op.op === 'put' ? op.object : null);
    queue.push(...(op.op === 'put' ? [op.object] : objects.dependentsOf(uid)));
  }
  const current = (uid: string): StoredObject | undefined => (latest.has(uid) ? (latest.get(uid) ?? undefined) : objects.byUid(uid));
  const extra: TxnOp[] = [];
  const visited = new Set<string>();
  for (let next = queue.shift(); next !== undefined; next = queue.shift()) {
    const object = current(uidOf(next));
    if (object === undefined || visited.has(uidOf(object))) continue;
    visited.add(uidOf(object));
    if (!isOrphan(object, (uid) => current(uid) !== undefined) || object.metadata.deletionTimestamp !== undefined) continue;
    const op = deleteOp(object, ctx);
    extra.push(op);
    latest.set(uidOf(object), op.op === 'put' ? op.object : null);
    if (op.op === 'delete') queue.push(...objects.dependentsOf(uidOf(object)));
  }
  return extra;
}

/** What `delete` does to an object: a deletionTimestamp while finalizers remain, else removal. */
export function deleteOp(object: StoredObject, ctx: WriteContext): TxnOp {
  const { metadata } = object;
  if ((metadata.finalizers ?? []).length === 0) return { op: 'delete', object: { ...object, metadata: { ...metadata, resourceVersion: ctx.revision } } };
  // As the API server does: a generation bump tells controllers that watch generations to look.
  const generation = (metadata.generation ?? 0) + 1;
  return { op: 'put', object: { ...object, metadata: { ...metadata, deletionTimestamp: ctx.now, generation, resourceVersion: ctx.revision } } };
}

/** Owned by objects of our kinds only, and none of them exists any more. */
function isOrphan(object: StoredObject, exists: (uid: string) => boolean): boolean {
  const owners = (object.metadata.ownerReferences ?? []).filter((ref) => isKind(ref.kind));
  return owners.length > 0 && owners.every((ref) => !exists(ref.uid));
}

function uidOf(object: StoredObject): string {
  return object.metadata.uid ?? '';
}
