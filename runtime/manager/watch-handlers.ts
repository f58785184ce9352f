import { GROUP, type Kind, type Resource } from '../../api/index.js';
import type { Logger } from '../log.js';
import { keyOf, keyString, type ObjectKey, type WatchEvent } from '../store/index.js';
import type { MappedWatch } from './registration.js';

export type Enqueue = (key: ObjectKey) => void;
export type Handler = (event: WatchEvent<Kind>) => void;

/** A change to an object of the primary kind reconciles that object. */
export function enqueueObject(enqueue: Enqueue): Handler {
  return (event) => {
    enqueue(keyOf(event.object));
  };
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
  const lastOwner = new Map<string, ObjectKey>();
  return (event) => {
    const objectKey = keyString(keyOf(event.object));
    const owner = controllerOwnerKey(event.object, ownerKind);
    const previous = lastOwner.get(objectKey);
    if (previous !== undefined && (owner === undefined || keyString(owner) !== keyString(previous))) enqueue(previous);
    if (owner !== undefined) enqueue(owner);
    if (owner === undefined || event.type === 'DELETED') lastOwner.delete(objectKey);
    else lastOwner.set(objectKey, owner);
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
