import { isDeepStrictEqual } from 'node:util';
import type { Resource } from '../../api/index.js';
import { CRD_KINDS } from '../../api/crd/index.js';
import { isAlreadyExists, isConflict, keyOf, type Store } from '../../runtime/store/index.js';
import { BeingDeletedError } from './command-errors.js';

export { BeingDeletedError };

export type ApplyOutcome = 'created' | 'configured' | 'unchanged';

/** A controller wrote the object this many times in a row while we tried: give up with the conflict. */
const MAX_ATTEMPTS = 5;

/**
 * Creates the object, or updates its spec, labels and annotations, keeping what controllers own
 * (status, finalizers, owner references). A write that races a controller's is retried on the
 * fresh object, as `kubectl apply` does.
 */
export async function applyResource(store: Store, desired: Resource): Promise<ApplyOutcome> {
  const key = keyOf(desired);
  for (let attempt = 1; ; attempt++) {
    const existing = await store.get(desired.kind, key);
    try {
      if (existing === undefined) {
        await store.create(asNew(desired, key.namespace));
        return 'created';
      }
      if (existing.metadata.deletionTimestamp !== undefined) throw new BeingDeletedError(existing);
      const next = withDesiredSpec(existing, desired);
      if (isDeepStrictEqual(next, existing)) return 'unchanged';
      await store.update(next);
      return 'configured';
    } catch (e) {
      if (attempt < MAX_ATTEMPTS && (isConflict(e) || isAlreadyExists(e))) continue;
      throw e;
    }
  }
}

/**
 * What a create sends: no status, and none of the fields the store sets, so a manifest saved with
 * `polyfleet get -o yaml` (uid, resourceVersion, …) can be applied to a fresh state.
 */
function asNew(desired: Resource, namespace: string): Resource {
  const { status: _status, ...object } = desired;
  const { uid: _uid, resourceVersion: _rv, generation: _gen, creationTimestamp: _created, deletionTimestamp: _deleting, ...metadata } = object.metadata;
  return { ...object, metadata: { ...metadata, namespace } };
}

function withDesiredSpec(existing: Resource, desired: Resource): Resource {
  const metadata = { ...existing.metadata };
  // Absent in the manifest means none: a label removed from the file goes from the object.
  if (desired.metadata.labels === undefined) delete metadata.labels;
  else metadata.labels = desired.metadata.labels;
  if (desired.metadata.annotations === undefined) delete metadata.annotations;
  else metadata.annotations = desired.metadata.annotations;
  return { ...existing, metadata, spec: desired.spec } as Resource;
}

/** "nodepool.polyfleet.io/workers", as kubectl names what it applied. */
export function describeApplied(object: Resource): string {
  const singular = CRD_KINDS.find((k) => k.kind === object.kind)?.singular ?? object.kind.toLowerCase();
  return `${singular}.polyfleet.io/${object.metadata.name}`;
}
