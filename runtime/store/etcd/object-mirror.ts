import { Range, type IKeyValue, type Namespace, type Watcher } from 'etcd3';
import type { Logger } from 'pino';
import type { Kind } from '../../../api/index.js';
import { GoneError } from '../errors.js';
import { ObjectIndex, type Change } from '../file/object-index.js';
import type { StoredObject } from '../file/state-records.js';
import { withUnknownFields } from '../kube/unknown-fields.js';
import { keyOf, type WatchHealth, type UnreadableObject } from '../types.js';
import { describeEtcdFailure } from './etcd-connection.js';
import { OBJECTS_PREFIX, objectKey } from './etcd-keys.js';
import { decodeObject } from './object-codec.js';
import { followObjects, type KeyChange } from './object-feed.js';

/** Pause before following again after a failed attempt (etcd3 backs off its reconnects itself). */
const RETRY_MS = 200;

interface Waiter {
  readonly test: () => boolean;
  readonly resolve: () => void;
  readonly reject: (e: Error) => void;
}

export interface MirrorOptions {
  readonly ns: Namespace;
  readonly endpoints: readonly string[];
  readonly logger: Logger;
  /** Every applied change, in revision order. */
  readonly publish: (changes: readonly Change[]) => void;
}

/**
 * Every object under the prefix in memory, kept current by one etcd watch (an informer for the
 * whole store): reads and write planning use it, and `modRevision` says which version of each key
 * a write was planned on, so etcd's transaction can refuse it if the key moved meanwhile. A watch
 * whose revision was compacted (Gone) re-lists and publishes the difference as changes.
 */
export class ObjectMirror {
  readonly objects = new ObjectIndex();
  /** The revision this mirror is current to. */
  revision = 0;
  private readonly modRevisions = new Map<string, number>();
  private readonly unreadables = new Map<string, { kind: Kind; object: UnreadableObject }>();
  /** The stored JSON of mirrored objects that have fields this version does not know; see `withUnknownFields`. */
  private readonly rawOf = new WeakMap<StoredObject, unknown>();
  private waiters: Waiter[] = [];
  private watcher: Watcher | undefined;
  private problem: string | undefined;
  private closed = false;

  constructor(private readonly options: MirrorOptions) {}

  /** Lists, then follows. Throws EtcdUnavailableError if etcd cannot be listed. */
  async start(): Promise<void> {
    await this.relist();
  }

  /** The mod revision of an object's key as this mirror saw it last; 0 if it has none. */
  modRevisionOf(key: string): number {
    return this.modRevisions.get(key) ?? 0;
  }

  unreadable(kind: Kind, namespace?: string): UnreadableObject[] {
    return [...this.unreadables.values()].filter((u) => u.kind === kind && (namespace === undefined || u.object.namespace === namespace)).map((u) => u.object);
  }

  health(): WatchHealth {
    return this.problem === undefined ? { ok: true } : { ok: false, detail: this.problem };
  }

  /** Resolves once `test` holds, re-checked after every change; rejects after `timeoutMs` or on close. */
  waitFor(test: () => boolean, what: string, timeoutMs: number): Promise<void> {
    if (test()) return Promise.resolve();
    return new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiters = this.waiters.filter((w) => w !== waiter);
        reject(describeEtcdFailure(this.options.endpoints, what, new Error(`the watch did not report it within ${String(timeoutMs)} ms (${this.problem ?? 'no error seen'})`)));
      }, timeoutMs);
      const waiter: Waiter = {
        test,
        resolve: () => { clearTimeout(timer); resolve(); },
        reject: (e) => { clearTimeout(timer); reject(e); },
      };
      this.waiters.push(waiter);
    });
  }

  close(): Promise<void> {
    this.closed = true;
    for (const waiter of this.waiters) waiter.reject(new Error('the etcd store was closed'));
    this.waiters = [];
    // Not awaited: a watch cut off from etcd never confirms its cancel; closing the client ends it.
    this.watcher?.cancel().catch(() => undefined);
    return Promise.resolve();
  }

  /** Read through a method: `closed` may change while a call awaits, which narrowing cannot see. */
  private isClosed(): boolean {
    return this.closed;
  }

  private async relist(): Promise<void> {
    const { ns, endpoints } = this.options;
    let listing;
    try {
      listing = await listObjects(ns);
    } catch (e) {
      throw describeEtcdFailure(endpoints, `listing ${OBJECTS_PREFIX}`, e);
    }
    const listed = new Map(listing.kvs.map((kv) => [kv.key.toString(), kv] as const));
    const changes: KeyChange[] = [];
    for (const [key, revision] of this.modRevisions) {
      if (!listed.has(key)) changes.push({ type: 'delete', key, value: '', modRevision: revision });
    }
    for (const [key, kv] of listed) {
      const modRevision = Number(kv.mod_revision);
      if (this.modRevisions.get(key) !== modRevision) changes.push({ type: 'put', key, value: kv.value.toString(), modRevision });
    }
    this.apply(changes, listing.revision);
    await this.follow();
  }

  /** Watches from the revision after the last one applied; throws as followObjects does. */
  private async follow(): Promise<void> {
    if (this.closed) return;
    await followObjects(this.options.ns, this.revision + 1, {
      onWatcher: (watcher) => {
        // A watch left attached keeps etcd3 reconnecting for ever, even after the client is closed.
        if (this.isClosed()) watcher.cancel().catch(() => undefined);
        else this.watcher = watcher;
      },
      onChanges: (c) => { this.apply(c, undefined); },
      onEnd: (e) => { this.restart(e); },
    });
    this.problem = undefined;
  }

  /**
   * A feed that ended resumes from the last revision applied, once etcd answers again; one whose
   * history was compacted meanwhile (Gone) is replaced by a fresh list, whose difference from the
   * mirror is published as changes. Until then the mirror reports itself unhealthy.
   */
  private restart(error: Error): void {
    if (this.closed) return;
    const { logger, endpoints } = this.options;
    this.problem = `the watch on etcd at ${endpoints.join(',')} ended (${error.message}); resuming`;
    const gone = error instanceof GoneError;
    if (gone) logger.info({ err: error }, 'etcd watch revision compacted; re-listing');
    else logger.warn({ err: error }, 'etcd watch ended; resuming');
    (gone ? this.relist() : this.follow()).catch((e: unknown) => {
      const err = e instanceof Error ? e : new Error(String(e));
      setTimeout(() => { this.restart(err); }, RETRY_MS).unref();
    });
  }

  private apply(keyChanges: readonly KeyChange[], currentTo: number | undefined): void {
    const changes: Change[] = [];
    for (const change of keyChanges) {
      const applied = change.type === 'put' ? this.put(change) : this.remove(change);
      if (applied !== undefined) changes.push(applied);
      this.revision = Math.max(this.revision, change.modRevision);
    }
    if (currentTo !== undefined) this.revision = Math.max(this.revision, currentTo);
    if (changes.length > 0) this.options.publish(changes);
    const waiting = this.waiters;
    this.waiters = [];
    for (const waiter of waiting) {
      if (waiter.test()) waiter.resolve();
      else this.waiters.push(waiter);
    }
  }

  /**
   * `next`, a write planned on the mirrored object of its kind and key, with the fields a newer
   * version stored there that this one does not know put back (the rules of the kube store's
   * UnknownFields): a rollback must not erase them. Safe because the write's transaction is
   * guarded by the mod revision of that same mirrored copy.
   */
  withUnknownFields(next: StoredObject): StoredObject {
    const current = this.objects.get(next.kind, keyOf(next));
    const raw = current === undefined ? undefined : this.rawOf.get(current);
    return raw === undefined ? next : (withUnknownFields(next, current, raw) as StoredObject);
  }

  private put(change: KeyChange): Change | undefined {
    this.modRevisions.set(change.key, change.modRevision);
    const decoded = decodeObject(change.key, change.value, change.modRevision);
    if (decoded === undefined) return undefined;
    if (!decoded.ok) {
      this.unreadables.set(change.key, { kind: decoded.kind, object: decoded.unreadable });
      const { namespace, name } = decoded.unreadable;
      const previous = this.objects.get(decoded.kind, { namespace, name });
      return previous === undefined ? undefined : this.objects.remove(previous);
    }
    this.unreadables.delete(change.key);
    if (decoded.raw !== undefined) this.rawOf.set(decoded.object, decoded.raw);
    return this.objects.put(decoded.object);
  }

  private remove(change: KeyChange): Change | undefined {
    this.modRevisions.delete(change.key);
    this.unreadables.delete(change.key);
    const previous = this.findByKey(change.key);
    if (previous === undefined) return undefined;
    return this.objects.remove({ ...previous, metadata: { ...previous.metadata, resourceVersion: String(change.modRevision) } });
  }

  private findByKey(key: string): ReturnType<ObjectIndex['all']>[number] | undefined {
    const [kind, namespace, name] = key.slice(OBJECTS_PREFIX.length).split('/');
    if (kind === undefined || namespace === undefined || name === undefined) return undefined;
    const found = this.objects.get(kind as Kind, { namespace, name });
    return found !== undefined && objectKey(found.kind, { namespace, name }) === key ? found : undefined;
  }
}

/** Keys per range request: 10,000 Machines in one answer pass gRPC's 4 MB message limit. */
const LIST_PAGE = 500;

/** Every key under objects/, a page at a time, all at the revision of the first page. */
async function listObjects(ns: Namespace): Promise<{ kvs: IKeyValue[]; revision: number }> {
  const first = await ns.getAll().prefix(OBJECTS_PREFIX).limit(LIST_PAGE).exec();
  const revision = first.header.revision;
  const kvs = [...first.kvs];
  const end = Range.prefix(OBJECTS_PREFIX).end;
  let more = first.more;
  for (let last = kvs.at(-1); more && last !== undefined; last = kvs.at(-1)) {
    const page = await ns.getAll().inRange(new Range(Buffer.concat([last.key, Buffer.from([0])]), end)).revision(revision).limit(LIST_PAGE).exec();
    kvs.push(...page.kvs);
    more = page.more;
  }
  return { kvs, revision: Number(revision) };
}
