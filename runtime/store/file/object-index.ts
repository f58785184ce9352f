import type { Kind } from '../../../api/index.js';
import type { ObjectKey, WatchEventType } from '../types.js';
import type { StoredObject } from './state-records.js';

/** What one applied operation did, for watchers. */
export interface Change {
  readonly type: WatchEventType;
  readonly object: StoredObject;
}

/**
 * Every object in memory, by kind and key, by uid, and by the uids of their owners (for the
 * cascade). Stored objects are never edited in place: a write replaces them, so one can be handed
 * to a watcher queue and copied later.
 */
export class ObjectIndex {
  private readonly kinds = new Map<Kind, Map<string, StoredObject>>();
  private readonly uids = new Map<string, StoredObject>();
  private readonly owned = new Map<string, Set<string>>();

  get(kind: Kind, key: ObjectKey): StoredObject | undefined {
    return this.kinds.get(kind)?.get(objectKeyString(key.namespace, key.name));
  }

  byUid(uid: string): StoredObject | undefined {
    return this.uids.get(uid);
  }

  /** Objects whose ownerReferences name `uid`. */
  dependentsOf(uid: string): StoredObject[] {
    const refs = this.owned.get(uid);
    if (refs === undefined) return [];
    return [...refs].flatMap((ref) => {
      const found = this.uids.get(ref);
      return found === undefined ? [] : [found];
    });
  }

  values(kind: Kind): IterableIterator<StoredObject> {
    return (this.kinds.get(kind) ?? new Map<string, StoredObject>()).values();
  }

  /** The objects of `kind` that `keep` keeps, in key order, as the API server lists (etcd's keys are sorted). */
  list(kind: Kind, keep: (object: StoredObject) => boolean): StoredObject[] {
    const found: { key: string; object: StoredObject }[] = [];
    for (const [key, object] of this.kinds.get(kind) ?? []) if (keep(object)) found.push({ key, object });
    found.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
    return found.map((f) => f.object);
  }

  all(): StoredObject[] {
    return [...this.kinds.values()].flatMap((objects) => [...objects.values()]);
  }

  count(kind?: Kind): number {
    if (kind !== undefined) return this.kinds.get(kind)?.size ?? 0;
    return this.uids.size;
  }

  put(object: StoredObject): Change {
    const { namespace = '', name, uid = '' } = object.metadata;
    let byKey = this.kinds.get(object.kind);
    if (byKey === undefined) {
      byKey = new Map();
      this.kinds.set(object.kind, byKey);
    }
    const key = objectKeyString(namespace, name);
    const previous = byKey.get(key);
    if (previous !== undefined) this.unlink(previous);
    byKey.set(key, object);
    this.uids.set(uid, object);
    for (const ref of object.metadata.ownerReferences ?? []) this.ownedBy(ref.uid).add(uid);
    return { type: previous === undefined ? 'ADDED' : 'MODIFIED', object };
  }

  /** Removes the object stored under `object`'s kind and key; the change carries `object`, its last state. */
  remove(object: StoredObject): Change | undefined {
    const { namespace = '', name } = object.metadata;
    const byKey = this.kinds.get(object.kind);
    const key = objectKeyString(namespace, name);
    const previous = byKey?.get(key);
    if (byKey === undefined || previous === undefined) return undefined;
    byKey.delete(key);
    this.unlink(previous);
    return { type: 'DELETED', object };
  }

  private unlink(object: StoredObject): void {
    const uid = object.metadata.uid ?? '';
    this.uids.delete(uid);
    for (const ref of object.metadata.ownerReferences ?? []) {
      const set = this.owned.get(ref.uid);
      set?.delete(uid);
      if (set?.size === 0) this.owned.delete(ref.uid);
    }
  }

  private ownedBy(uid: string): Set<string> {
    let set = this.owned.get(uid);
    if (set === undefined) {
      set = new Set();
      this.owned.set(uid, set);
    }
    return set;
  }
}

function objectKeyString(namespace: string, name: string): string {
  return `${namespace}/${name}`;
}
