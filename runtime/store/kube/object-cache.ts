import { DEFAULT_NAMESPACE, type UnreadableObject, type WatchEventType } from '../types.js';
import { isAtLeastVersion, isNewerVersion } from './resource-version.js';

/** The metadata the cache reads; every polyfleet resource has it. */
export interface CachedObject {
  readonly metadata: {
    readonly name: string;
    readonly namespace?: string | undefined;
    readonly uid?: string | undefined;
    readonly resourceVersion?: string | undefined;
    readonly deletionTimestamp?: string | undefined;
    readonly finalizers?: readonly string[] | undefined;
  };
}

/** What a cache update changed, for the informer to hand to its handlers. */
export interface CacheChange<T> {
  readonly type: WatchEventType;
  readonly object: T;
}

/** An object the API server has that this version cannot read, at the version it was seen. */
export interface UnreadableEntry {
  readonly object: UnreadableObject;
  readonly resourceVersion: string | undefined;
}

/**
 * A UID this process knows is deleted. It keeps a write response or a watch event that was
 * already on its way from bringing the object back: `seq` is the number the next write would have
 * got when the tombstone was laid, so only writes numbered below it can still carry the object.
 */
interface Tombstone {
  readonly seq: number;
  /** The watch stream (or a re-list) has confirmed the deletion, so no older watch event follows. */
  confirmed: boolean;
}

/**
 * One kind's objects by namespace and name, fed by the informer's list+watch and, write-through,
 * by this process's own writes, without ever letting an older copy replace a newer one
 * (resource-version.ts explains why comparing versions is sound here).
 */
export class ObjectCache<T extends CachedObject> {
  private readonly byNamespace = new Map<string, Map<string, T>>();
  /** By "namespace/name": the latest version of such an object is unreadable, so no readable copy of it is cached. */
  private unreadableByKey = new Map<string, UnreadableEntry>();
  private count = 0;
  private readonly tombstones = new Map<string, Tombstone>();
  private readonly writesInFlight = new Set<number>();
  private nextWriteSeq = 0;

  get size(): number {
    return this.count;
  }

  get(namespace: string, name: string): T | undefined {
    return this.byNamespace.get(namespace)?.get(name);
  }

  /** Every object, or those of one namespace. */
  list(namespace?: string): T[] {
    if (namespace !== undefined) return [...(this.byNamespace.get(namespace)?.values() ?? [])];
    return [...this.values()];
  }

  /** What the API server has that this version cannot read, every namespace or one. */
  unreadable(namespace?: string): UnreadableObject[] {
    const found: UnreadableObject[] = [];
    for (const { object } of this.unreadableByKey.values()) if (namespace === undefined || object.namespace === namespace) found.push(object);
    return found;
  }

  *values(): IterableIterator<T> {
    for (const objects of this.byNamespace.values()) yield* objects.values();
  }

  /** Call before sending a write whose response will be applied; pass the number to `endWrite`. */
  beginWrite(): number {
    const seq = this.nextWriteSeq++;
    this.writesInFlight.add(seq);
    return seq;
  }

  endWrite(seq: number): void {
    this.writesInFlight.delete(seq);
    this.sweepTombstones();
  }

  /** A write's response, the object as the API server stored it: taken if newer than the cached copy. */
  applyWrite(object: T): CacheChange<T> | undefined {
    if (isGone(object)) return this.removeDeleted(object.metadata.uid, namespaceOf(object), object.metadata.name, object);
    if (this.isTombstoned(object)) return undefined;
    const cached = this.get(namespaceOf(object), object.metadata.name);
    if (cached !== undefined && !isNewerVersion(object.metadata.resourceVersion, cached.metadata.resourceVersion)) return undefined;
    const key = keyOf(namespaceOf(object), object.metadata.name);
    const unreadable = this.unreadableByKey.get(key);
    if (unreadable !== undefined) {
      // A readable answer older than what the watch last said is unreadable must not bring back a stale copy.
      if (!isNewerVersion(object.metadata.resourceVersion, unreadable.resourceVersion)) return undefined;
      this.unreadableByKey.delete(key);
    }
    this.put(object);
    return { type: cached === undefined ? 'ADDED' : 'MODIFIED', object };
  }

  /** This process deleted the object with `uid` and the API server answered that it is gone. */
  applyDeleted(namespace: string, name: string, uid: string | undefined): CacheChange<T> | undefined {
    return this.removeDeleted(uid, namespace, name, undefined);
  }

  /** One event of the watch stream, which is ordered: it wins unless a write already brought something newer. */
  applyWatchEvent(type: WatchEventType, object: T): CacheChange<T> | undefined {
    const namespace = namespaceOf(object);
    if (type === 'DELETED') return this.watchDeleted(namespace, object.metadata.name, object.metadata.uid, object);
    const cached = this.get(namespace, object.metadata.name);
    if (this.isTombstoned(object)) return undefined;
    if (cached !== undefined && isAtLeastVersion(cached.metadata.resourceVersion, object.metadata.resourceVersion)) return undefined;
    // The stream is ordered: a readable version after an unreadable one is the newer.
    this.unreadableByKey.delete(keyOf(namespace, object.metadata.name));
    this.put(object);
    return { type: cached === undefined ? 'ADDED' : 'MODIFIED', object };
  }

  /**
   * The watch reported the deletion of an object, perhaps one this version cannot read (then only
   * its identity is known, and the last readable copy, if cached, is what handlers get).
   */
  watchDeleted(namespace: string, name: string, uid: string | undefined, last?: T): CacheChange<T> | undefined {
    this.forgetUnreadable(namespace, name, uid);
    this.confirmDeleted(uid);
    const cached = this.get(namespace, name);
    if (cached === undefined || cached.metadata.uid !== uid) return undefined;
    this.remove(namespace, name);
    if (this.writesInFlight.size > 0 && uid !== undefined) {
      this.tombstones.set(uid, { seq: this.nextWriteSeq, confirmed: true });
    }
    return { type: 'DELETED', object: last ?? cached };
  }

  /**
   * The watch sent a version of an object that this version cannot read (ADDED or MODIFIED). It is
   * tracked as unreadable, and a readable copy cached before it is dropped (handlers get DELETED,
   * as they would had the first list not had it): it is stale, and a write based on it would only
   * fail with a conflict. Ignored if a write already cached something newer.
   */
  applyUnreadable(entry: UnreadableEntry): CacheChange<T> | undefined {
    const { namespace, name, uid } = entry.object;
    if (uid !== undefined && this.tombstones.has(uid)) return undefined;
    const cached = this.get(namespace, name);
    if (cached !== undefined && isAtLeastVersion(cached.metadata.resourceVersion, entry.resourceVersion)) return undefined;
    this.unreadableByKey.set(keyOf(namespace, name), entry);
    if (cached === undefined) return undefined;
    this.remove(namespace, name);
    return { type: 'DELETED', object: cached };
  }

  /**
   * A fresh list, taken at `listVersion`: what it lacks was deleted meanwhile (DELETED is
   * synthesized with the last state seen) unless a write brought it in after the list's snapshot.
   */
  replace(objects: readonly T[], listVersion: string, unreadable: readonly UnreadableEntry[] = []): CacheChange<T>[] {
    const changes: CacheChange<T>[] = [];
    const listed = new Set<string>();
    const listedUids = new Set<string>();
    const unreadableByKey = new Map<string, UnreadableEntry>();
    for (const entry of unreadable) {
      const { namespace, name, uid } = entry.object;
      if (uid !== undefined) listedUids.add(uid);
      if (uid !== undefined && this.tombstones.has(uid)) continue;
      const cached = this.get(namespace, name);
      // A write of this process cached a newer, readable version after the list's snapshot.
      if (cached !== undefined && isNewerVersion(cached.metadata.resourceVersion, listVersion)) continue;
      unreadableByKey.set(keyOf(namespace, name), entry);
    }
    // Unlisted (so not in unreadableByKey), a cached copy of an unreadable object goes below, with DELETED.
    this.unreadableByKey = unreadableByKey;
    for (const object of objects) {
      if (object.metadata.uid !== undefined) listedUids.add(object.metadata.uid);
      if (this.isTombstoned(object)) continue;
      listed.add(keyOf(namespaceOf(object), object.metadata.name));
      const cached = this.get(namespaceOf(object), object.metadata.name);
      if (cached !== undefined && isAtLeastVersion(cached.metadata.resourceVersion, object.metadata.resourceVersion)) continue;
      this.put(object);
      changes.push({ type: cached === undefined ? 'ADDED' : 'MODIFIED', object });
    }
    for (const cached of [...this.values()]) {
      const namespace = namespaceOf(cached);
      if (listed.has(keyOf(namespace, cached.metadata.name))) continue;
      if (isNewerVersion(cached.metadata.resourceVersion, listVersion)) continue;
      this.remove(namespace, cached.metadata.name);
      changes.push({ type: 'DELETED', object: cached });
    }
    for (const [uid, tombstone] of this.tombstones) if (!listedUids.has(uid)) tombstone.confirmed = true;
    this.sweepTombstones();
    return changes;
  }

  private removeDeleted(uid: string | undefined, namespace: string, name: string, last: T | undefined): CacheChange<T> | undefined {
    this.forgetUnreadable(namespace, name, uid);
    const cached = this.get(namespace, name);
    const held = cached !== undefined && (uid === undefined || cached.metadata.uid === uid);
    // Not held: the watch has most likely delivered the deletion already, so no older event of it can
    // follow and the tombstone only has to outlive the writes in flight (if the watch had not even
    // delivered its creation yet, it shows up and goes again, as in any informer).
    if (uid !== undefined && !this.tombstones.has(uid)) this.tombstones.set(uid, { seq: this.nextWriteSeq, confirmed: !held });
    this.sweepTombstones();
    if (!held) return undefined;
    this.remove(namespace, name);
    return { type: 'DELETED', object: last ?? cached };
  }

  private forgetUnreadable(namespace: string, name: string, uid: string | undefined): void {
    const key = keyOf(namespace, name);
    const entry = this.unreadableByKey.get(key);
    if (entry !== undefined && (uid === undefined || entry.object.uid === undefined || entry.object.uid === uid)) this.unreadableByKey.delete(key);
  }

  private confirmDeleted(uid: string | undefined): void {
    const tombstone = uid === undefined ? undefined : this.tombstones.get(uid);
    if (tombstone === undefined) return;
    tombstone.confirmed = true;
    this.sweepTombstones();
  }

  private isTombstoned(object: T): boolean {
    return object.metadata.uid !== undefined && this.tombstones.has(object.metadata.uid);
  }

  /** A confirmed tombstone goes once no write that started before it is still waiting for its response. */
  private sweepTombstones(): void {
    let oldestWrite = Number.POSITIVE_INFINITY;
    for (const seq of this.writesInFlight) oldestWrite = Math.min(oldestWrite, seq);
    for (const [uid, tombstone] of this.tombstones) {
      if (tombstone.confirmed && tombstone.seq <= oldestWrite) this.tombstones.delete(uid);
    }
  }

  private put(object: T): void {
    const namespace = namespaceOf(object);
    let objects = this.byNamespace.get(namespace);
    if (objects === undefined) {
      objects = new Map();
      this.byNamespace.set(namespace, objects);
    }
    if (!objects.has(object.metadata.name)) this.count++;
    objects.set(object.metadata.name, object);
  }

  private remove(namespace: string, name: string): void {
    const objects = this.byNamespace.get(namespace);
    if (objects?.delete(name) !== true) return;
    this.count--;
    if (objects.size === 0) this.byNamespace.delete(namespace);
  }
}

/** A write answered with an object being deleted that has no finalizer left: the API server removed it. */
function isGone(object: CachedObject): boolean {
  return object.metadata.deletionTimestamp !== undefined && (object.metadata.finalizers ?? []).length === 0;
}

function namespaceOf(object: CachedObject): string {
  return object.metadata.namespace ?? DEFAULT_NAMESPACE;
}

function keyOf(namespace: string, name: string): string {
  return `${namespace}/${name}`;
}
