import type { Kind, ResourceOf } from '../../api/index.js';
import {
  AlreadyExistsError,
  ConflictError,
  NotFoundError,
  keyOf,
  keyString,
  type ListOptions,
  type ObjectKey,
  type Store,
  type UnreadableObject,
  type Watch,
  type WatchEvent,
  type WatchEventType,
} from '../store/index.js';

type AnyObject = ResourceOf<Kind>;
type Handler = (event: WatchEvent<Kind>) => void;

/**
 * A tiny in-memory Store for tests of what sits on top of a store (the manager's watches, metrics):
 * objects by kind and key, resourceVersion conflicts, generations moved by spec changes, and
 * watches. It validates nothing and keeps no finalizers or cascades: the real backends and their
 * conformance suite own those.
 */
export class MemoryStore implements Store {
  private readonly objects = new Map<Kind, Map<string, AnyObject>>();
  private readonly watchers = new Map<Kind, Set<{ handler: Handler; namespace: string | undefined }>>();
  private readonly unreadableByKind = new Map<Kind, UnreadableObject[]>();
  private version = 0;

  get<K extends Kind>(kind: K, key: ObjectKey): Promise<ResourceOf<K> | undefined> {
    const found = this.bucket(kind).get(keyString(key));
    return Promise.resolve(found === undefined ? undefined : (structuredClone(found) as ResourceOf<K>));
  }

  list<K extends Kind>(kind: K, options: ListOptions = {}): Promise<ResourceOf<K>[]> {
    const all = [...this.bucket(kind).values()].filter((o) => options.namespace === undefined || keyOf(o).namespace === options.namespace);
    return Promise.resolve(all.map((o) => structuredClone(o) as ResourceOf<K>));
  }

  watch<K extends Kind>(kind: K, handler: (event: WatchEvent<K>) => void, options: { namespace?: string } = {}): Watch {
    const watcher: { handler: Handler; namespace: string | undefined } = { handler, namespace: options.namespace };
    for (const object of this.bucket(kind).values()) {
      if (options.namespace === undefined || keyOf(object).namespace === options.namespace) {
        handler({ type: 'ADDED', object: structuredClone(object) as ResourceOf<K> });
      }
    }
    const set = this.watchers.get(kind) ?? new Set();
    this.watchers.set(kind, set.add(watcher));
    return {
      synced: Promise.resolve(),
      stop: () => {
        set.delete(watcher);
      },
    };
  }

  create<K extends Kind>(object: ResourceOf<K> & { kind: K }): Promise<ResourceOf<K>> {
    const key = keyString(keyOf(object));
    if (this.bucket(object.kind).has(key)) return Promise.reject(new AlreadyExistsError(object.kind, keyOf(object)));
    const uid = `uid-${object.kind}-${key}-${this.version + 1}`;
    return Promise.resolve(this.put({ ...object, metadata: { ...object.metadata, generation: 1 } }, 'ADDED', uid) as ResourceOf<K>);
  }

  update<K extends Kind>(object: ResourceOf<K> & { kind: K }): Promise<ResourceOf<K>> {
    const key = keyOf(object);
    const current = this.bucket(object.kind).get(keyString(key));
    if (current === undefined) return Promise.reject(new NotFoundError(object.kind, key));
    if (current.metadata.resourceVersion !== object.metadata.resourceVersion) {
      return Promise.reject(new ConflictError(object.kind, key, `resourceVersion ${String(object.metadata.resourceVersion)} is stale`));
    }
    // generation moves with the spec only, as on every real backend (the manager's watches rely on it).
    const specChanged = JSON.stringify(object.spec) !== JSON.stringify(current.spec);
    const generation = (current.metadata.generation ?? 1) + (specChanged ? 1 : 0);
    const next: AnyObject = { ...object, metadata: { ...object.metadata, generation } };
    return Promise.resolve(this.put(next, 'MODIFIED', current.metadata.uid ?? '') as ResourceOf<K>);
  }

  updateStatus<K extends Kind>(object: ResourceOf<K> & { kind: K }): Promise<ResourceOf<K>> {
    return this.update<K>(object);
  }

  patch<K extends Kind>(kind: K): Promise<ResourceOf<K>> {
    return Promise.reject(new Error(`MemoryStore does not patch (${kind}); use a real backend`));
  }

  delete(kind: Kind, key: ObjectKey): Promise<void> {
    const current = this.bucket(kind).get(keyString(key));
    if (current === undefined) return Promise.reject(new NotFoundError(kind, key));
    this.bucket(kind).delete(keyString(key));
    this.emit(kind, 'DELETED', current);
    return Promise.resolve();
  }

  /** What a test marked unreadable with `markUnreadable`. */
  unreadable(kind: Kind, namespace?: string): readonly UnreadableObject[] {
    return (this.unreadableByKind.get(kind) ?? []).filter((u) => namespace === undefined || u.namespace === namespace);
  }

  /** Stands for an object the backend has but this version cannot read (tests of consumers of `unreadable`). */
  markUnreadable(kind: Kind, objects: readonly UnreadableObject[]): void {
    this.unreadableByKind.set(kind, [...objects]);
  }

  close(): Promise<void> {
    this.watchers.clear();
    return Promise.resolve();
  }

  private put(object: AnyObject, type: WatchEventType, uid: string): AnyObject {
    const namespace = keyOf(object).namespace;
    const stored = structuredClone({ ...object, metadata: { ...object.metadata, namespace, uid, resourceVersion: String(++this.version) } });
    this.bucket(object.kind).set(keyString(keyOf(stored)), stored);
    this.emit(object.kind, type, stored);
    return structuredClone(stored);
  }

  private emit(kind: Kind, type: WatchEventType, object: AnyObject): void {
    for (const { handler, namespace } of this.watchers.get(kind) ?? []) {
      if (namespace === undefined || keyOf(object).namespace === namespace) handler({ type, object: structuredClone(object) });
    }
  }

  private bucket(kind: Kind): Map<string, AnyObject> {
    const existing = this.objects.get(kind);
    if (existing) return existing;
    const created = new Map<string, AnyObject>();
    this.objects.set(kind, created);
    return created;
  }
}
