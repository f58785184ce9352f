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
  /**
   * Each kind's keys in order, kept as objects are added and removed (a binary search and a splice;
   * a write that replaces an object leaves them): a list walks them instead of building and sorting
   * 10,000 keys each time, which was much of what the idle leak collector's listings cost.
   */
  private readonly sorted = new Map<Kind, string[]>();

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

  /** Calls `visit` with each of `kind`'s objects in key order ("namespace/name"), as the API server lists. */
  forEachInKeyOrder(kind: Kind, visit: (object: StoredObject) => void): void {
    const byKey = this.kinds.get(kind);
    if (byKey === undefined) return;
    for (const key of this.sorted.get(kind) ?? []) {
      const object = byKey.get(key);
      if (object !== undefined) visit(object);
    }
  }

  /** The objects of `kind` that `keep` keeps, in key order, as the API server lists (etcd's keys are sorted). */
  list(kind: Kind, keep: (object: StoredObject) => boolean): StoredObject[] {
    const found: StoredObject[] = [];
    this.forEachInKeyOrder(kind, (object) => {
      if (keep(object)) found.push(object);
    });
    return found;
  }

  /** Every object, kind by kind, each kind in key order (a snapshot written so loads by appending). */
  all(): StoredObject[] {
    const found: StoredObject[] = [];
    for (const kind of this.kinds.keys()) this.forEachInKeyOrder(kind, (object) => found.push(object));
    return found;
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
    else {
      const keys = this.sortedKeys(object.kind);
      // A snapshot is written in key order (all()), so loading one appends: no O(n²) of splices.
      if (keys.length === 0 || (keys[keys.length - 1] ?? '') < key) keys.push(key);
      else keys.splice(insertionPoint(keys, key), 0, key);
    }
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
    const keys = this.sortedKeys(object.kind);
    keys.splice(insertionPoint(keys, key), 1);
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

  private sortedKeys(kind: Kind): string[] {
    let keys = this.sorted.get(kind);
    if (keys === undefined) {
      keys = [];
      this.sorted.set(kind, keys);
    }
    return keys;
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

/** The index of `key` in the sorted `keys`, or where it would go. */
function insertionPoint(keys: readonly string[], key: string): number {
  let low = 0;
  let high = keys.length;
  while (low < high) {
    const mid = (low + high) >>> 1;
    if ((keys[mid] ?? '') < key) low = mid + 1;
    else high = mid;
  }
  return low;
}

function objectKeyString(namespace: string, name: string): string {
  return `${namespace}/${name}`;
}
