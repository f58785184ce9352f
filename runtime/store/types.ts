import type { Kind, ResourceOf } from '../../api/index.js';

/** Every polyfleet kind is namespaced; standalone mode uses "default". */
export interface ObjectKey {
  readonly namespace: string;
  readonly name: string;
}

export const DEFAULT_NAMESPACE = 'default';

export interface ListOptions {
  /** Absent: every namespace. */
  readonly namespace?: string;
  /** Kubernetes label-selector syntax, e.g. "polyfleet.io/pool=workers,tier in (a,b),!legacy". */
  readonly labelSelector?: string;
  /**
   * The caller only reads what it gets: a backend holding objects in memory may hand out its own
   * instead of deep copies (a pool's reconcile reads every Machine of the pool; copying a thousand
   * of them cost more than the rest of the reconcile). Call `listReadOnly`, which types them so.
   */
  readonly readOnly?: boolean;
}

export interface GetOptions {
  /** The caller only reads what it gets; as ListOptions.readOnly. Call `getReadOnly`. */
  readonly readOnly?: boolean;
}

/** `T` with every property and array read-only, all the way down. */
export type ReadonlyDeep<T> = T extends readonly (infer E)[] ? readonly ReadonlyDeep<E>[] : T extends object ? { readonly [P in keyof T]: ReadonlyDeep<T[P]> } : T;

/** `get`, for a caller that only reads: the object may be the store's own, so it is typed read-only. */
export function getReadOnly<K extends Kind>(store: Store, kind: K, key: ObjectKey): Promise<ReadonlyDeep<ResourceOf<K>> | undefined> {
  // Widening to read-only is always sound; TypeScript cannot see it through the generic K.
  return store.get(kind, key, { readOnly: true }) as Promise<ReadonlyDeep<ResourceOf<K>> | undefined>;
}

/** `list`, for a caller that only reads: the objects may be the store's own, so they are typed read-only. */
export function listReadOnly<K extends Kind>(store: Store, kind: K, options: Omit<ListOptions, 'readOnly'> = {}): Promise<readonly ReadonlyDeep<ResourceOf<K>>[]> {
  // Widening to read-only is always sound; TypeScript cannot see it through the generic K.
  return store.list(kind, { ...options, readOnly: true }) as Promise<readonly ReadonlyDeep<ResourceOf<K>>[]>;
}

export type WatchEventType = 'ADDED' | 'MODIFIED' | 'DELETED';

export interface WatchEvent<K extends Kind> {
  readonly type: WatchEventType;
  readonly object: ResourceOf<K>;
}

export interface WatchOptions {
  readonly namespace?: string;
}

/** Whether a watch is keeping its view of the store current; see `Watch.health`. */
export type WatchHealth = { readonly ok: true } | { readonly ok: false; readonly detail: string };

/** A running watch; `stop` ends it and no handler call follows. */
export interface Watch {
  /**
   * Resolves once the handler has been called with ADDED for every object that existed when the
   * watch began (client-go's HasSynced): until then a reader of the store may miss objects, so a
   * manager starts no reconcile and reports not ready. Never rejects; a watch stopped before it
   * synced leaves it pending.
   */
  readonly synced: Promise<void>;
  /**
   * Whether the watch is synced and its feed is running now. A backend whose feed can fail after it
   * synced (the kube informer's loop crashing and restarting with a fresh list) reports not ok until
   * it is current again, so /readyz does not stay green over a stale cache. Absent: always ok once synced.
   */
  readonly health?: () => WatchHealth;
  stop(): void;
}

/**
 * An object the backend holds but this version cannot read (its schema refuses a field: a wrong
 * type, a value out of range), so `get`, `list` and `watch` leave it out. `problem` is the schema's
 * complaint in words, without the object's values.
 */
export interface UnreadableObject {
  readonly namespace: string;
  readonly name: string;
  readonly uid?: string;
  readonly problem: string;
}

/** RFC 7386 merge patch or RFC 6902 JSON patch, the two the API server takes for custom resources. */
export type Patch =
  | { readonly type: 'merge'; readonly patch: Record<string, unknown> }
  | { readonly type: 'json'; readonly ops: readonly JsonPatchOp[] };

export interface JsonPatchOp {
  readonly op: 'add' | 'remove' | 'replace' | 'test' | 'move' | 'copy';
  readonly path: string;
  readonly value?: unknown;
  readonly from?: string;
}

export interface DeleteOptions {
  /** Delete only if the object still has this UID (it was not deleted and re-created meanwhile). */
  readonly uid?: string;
  /** Delete only if the object is still at this resourceVersion. */
  readonly resourceVersion?: string;
}

/**
 * The one way controllers read and write objects, with Kubernetes semantics on every backend:
 * - `resourceVersion` optimistic concurrency: a write carrying a stale one fails with ConflictError;
 * - `metadata.generation` moves only when the spec changes;
 * - `update` and `patch` never change status; `updateStatus` changes only status;
 * - `delete` of an object with finalizers sets `deletionTimestamp`; it goes when the last finalizer does;
 * - objects owned (ownerReferences) by a deleted object are deleted after it.
 * Objects handed out are copies (except by a `readOnly` list): editing one changes nothing until it is written.
 */
export interface Store {
  /** The object, or undefined if there is none. */
  get<K extends Kind>(kind: K, key: ObjectKey, options?: GetOptions): Promise<ResourceOf<K> | undefined>;
  list<K extends Kind>(kind: K, options?: ListOptions): Promise<ResourceOf<K>[]>;
  /**
   * Calls `handler` with ADDED for every object that exists now, then with every change, in order,
   * until stopped. Level-triggered consumers lose nothing across a reconnect: a backend that had to
   * re-list replays what changed as ADDED/MODIFIED/DELETED. A backend may also hand every object
   * over again as MODIFIED though nothing changed (client-go's periodic resync), so controllers
   * re-check what no watch reports, such as a cloud instance that vanished.
   */
  watch<K extends Kind>(kind: K, handler: (event: WatchEvent<K>) => void, options?: WatchOptions): Watch;
  create<K extends Kind>(object: ResourceOf<K> & { kind: K }): Promise<ResourceOf<K>>;
  /** Writes metadata and spec; status in `object` is ignored. Needs `metadata.resourceVersion`. */
  update<K extends Kind>(object: ResourceOf<K> & { kind: K }): Promise<ResourceOf<K>>;
  /** Patches metadata and spec. A `resourceVersion` inside the patch is a precondition. */
  patch<K extends Kind>(kind: K, key: ObjectKey, patch: Patch): Promise<ResourceOf<K>>;
  /** Writes status only. Needs `metadata.resourceVersion`. */
  updateStatus<K extends Kind>(object: ResourceOf<K> & { kind: K }): Promise<ResourceOf<K>>;
  delete(kind: Kind, key: ObjectKey, options?: DeleteOptions): Promise<void>;
  /**
   * The objects of `kind` (in `namespace`, or every one) that exist but that this version cannot
   * read, so the reads above leave them out: a consumer that acts on absence (the leak collector:
   * "no Machine claims this instance") must stand down while one may be hiding. Synchronous, from
   * the backend's cache as of its last list/watch event; empty for a kind this store has not read
   * yet (read it first: `list` waits for the cache). Objects with fields this version does not know
   * are readable (the fields are kept, see the kube backend) and never listed here.
   */
  unreadable(kind: Kind, namespace?: string): readonly UnreadableObject[];
  /** Stops watches and informers and releases files; the store is unusable afterwards. */
  close(): Promise<void>;
}

export function keyOf(object: { metadata: { name: string; namespace?: string | undefined } }): ObjectKey {
  return { namespace: object.metadata.namespace ?? DEFAULT_NAMESPACE, name: object.metadata.name };
}

export function keyString(key: ObjectKey): string {
  return `${key.namespace}/${key.name}`;
}
