import { GROUP, type Kind, type Resource } from '../../api/index.js';
import { hash53 } from '../hash53.js';
import type { Logger } from '../log.js';
import { keyOf, keyString, type ObjectKey, type WatchEvent } from '../store/index.js';
import type { MappedWatch } from './registration.js';

export type Enqueue = (key: ObjectKey) => void;
export type Handler = (event: WatchEvent<Kind>) => void;

/**
 * A change to an object of the primary kind reconciles that object, unless status is all that
 * changed. A controller writes its own object's status; were that write's event to reconcile the
 * object again, a status that differs every time (a cloud error quoting a request id) would make a
 * hot loop. So, like controller-runtime's GenerationChangedPredicate, a MODIFIED whose object has
 * the same generation (spec), labels, annotations, finalizers, owner references and deletion
 * timestamp as the last event this handler saw of it is dropped. Everything else passes: ADDED,
 * DELETED, any of those changes, and a resync (the same resourceVersion as last seen: the store
 * hands every object over again so controllers re-check what no watch reports).
 * Per object it keeps one short string (resourceVersion and a 53-bit hash of those fields),
 * forgotten on DELETED.
 */
export function enqueueObject(enqueue: Enqueue): Handler {
  const lastSeen = new Map<string, string>();
  return (event) => {
    const key = keyOf(event.object);
    const id = keyString(key);
    if (event.type === 'DELETED') {
      lastSeen.delete(id);
      enqueue(key);
      return;
    }
    const version = event.object.metadata.resourceVersion ?? '';
    const signature = metadataSignature(event.object);
    const seen = `${signature} ${version}`;
    const previous = lastSeen.get(id);
    lastSeen.set(id, seen);
    // Same signature (it has no space), another version: only status changed. The same version: a resync.
    const statusOnly = event.type === 'MODIFIED' && previous !== undefined && previous !== seen && previous.startsWith(`${signature} `);
    if (!statusOnly) enqueue(key);
  };
}

/** What a status write leaves as it was: uid, generation, labels, annotations, finalizers, owner references, deletion timestamp. */
export function metadataSignature(object: Resource): string {
  const m = object.metadata;
  const text = JSON.stringify([m.uid, m.generation, m.labels, m.annotations, m.finalizers, m.ownerReferences, m.deletionTimestamp]);
  // A collision would only cost one dropped event until the next change or resync.
  return hash53(text).toString(36);
}

/** The key of `object`'s controller owner if that owner is a polyfleet `ownerKind`. */
export function controllerOwnerKey(object: Resource, ownerKind: Kind): ObjectKey | undefined {
  const ref = object.metadata.ownerReferences?.find((r) => r.controller === true);
  if (ref === undefined || ref.kind !== ownerKind || ref.apiVersion.split('/')[0] !== GROUP) return undefined;
  return { namespace: keyOf(object).namespace, name: ref.name };
}

/**
 * A change to an owned object reconciles its controller owner. Events carry only the new object,
 * so the last owner seen per object is kept: an object that moved to another owner, or lost its
 * owner, reconciles the one it left too (controller-runtime enqueues the old object's owner).
 */
export function enqueueControllerOwner(ownerKind: Kind, enqueue: Enqueue): Handler {
  // The owner's name only: an owner is in its object's namespace.
  const lastOwner = new Map<string, string>();
  return (event) => {
    const key = keyOf(event.object);
    const objectKey = keyString(key);
    const owner = controllerOwnerKey(event.object, ownerKind);
    const previous = lastOwner.get(objectKey);
    if (previous !== undefined && previous !== owner?.name) enqueue({ namespace: key.namespace, name: previous });
    if (owner !== undefined) enqueue(owner);
    if (owner === undefined || event.type === 'DELETED') lastOwner.delete(objectKey);
    else lastOwner.set(objectKey, owner.name);
  };
}

/** A change to a watched object reconciles every key `map` returns; a failing map is logged, not fatal. */
export function enqueueMapped(watch: MappedWatch, enqueue: Enqueue, log: Logger): Handler {
  const failed = (err: unknown, object: Resource): void => {
    log.warn({ err, watchedKind: watch.kind, watched: keyString(keyOf(object)) }, 'mapping a watched object to keys failed');
  };
  return (event) => {
    try {
      void Promise.resolve(watch.map(event.object)).then(
        (keys) => {
          for (const key of keys) enqueue(key);
        },
        (err: unknown) => {
          failed(err, event.object);
        },
      );
    } catch (err) {
      failed(err, event.object);
    }
  };
}
