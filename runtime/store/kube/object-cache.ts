import { DEFAULT_NAMESPACE, type WatchEventType } from '../types.js';
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
    const cached = this.get(namespace, object.metadata.name);
    if (type === 'DELETED') {
      this.confirmDeleted(object.metadata.uid);
      if (cached === undefined || cached.metadata.uid !== object.metadata.uid) return undefined;
      this.remove(namespace, object.metadata.name);
      if (this.writesInFlight.size > 0 && object.metadata.uid !== undefined) {
        this.tombstones.set(object.metadata.uid, { seq: this.nextWriteSeq, confirmed: true });
      }
      return { type: 'DELETED', object };
    }
    if (this.isTombstoned(object)) return undefined;
    if (cached !== undefined && isAtLeastVersion(cached.metadata.resourceVersion, object.metadata.resourceVersion)) return undefined;
    this.put(object);
    return { type: cached === undefined ? 'ADDED' : 'MODIFIED', object };
  }

  /**
   * A fresh list, taken at `listVersion`: what it lacks was deleted meanwhile (DELETED is
   * synthesized with the last state seen) unless a write brought it in after the list's snapshot.
   */
  replace(objects: readonly T[], listVersion: string): CacheChange<T>[] {
    const changes: CacheChange<T>[] = [];
    const listed = new Set<string>();
    const listedUids = new Set<string>();
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
