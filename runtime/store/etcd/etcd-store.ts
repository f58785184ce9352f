import { randomUUID } from 'node:crypto';
import type { Etcd3, Namespace } from 'etcd3';
import { pino, type Logger } from 'pino';
import type { Kind, ResourceOf } from '../../../api/index.js';
import { rfc3339Seconds, systemClock, type Clock } from '../../clock.js';
import type { EventSink } from '../../events/types.js';
import { createLogger } from '../../log.js';
import { newInstallationId } from '../file/installation-id.js';
import { cloneJson } from '../file/json-value.js';
import type { ObjectIndex } from '../file/object-index.js';
import { planCreate, planDelete, planPatch, planUpdate, planUpdateStatus, type Planned } from '../file/object-writes.js';
import { WatchHub } from '../file/watch-hub.js';
import { AlreadyExistsError, ConflictError, NotFoundError } from '../errors.js';
import type { WriteContext } from '../file/write-context.js';
import { matchesLabels, parseLabelSelector } from '../label-selector.js';
import type { DeleteOptions, GetOptions, ListOptions, ObjectKey, Patch, Store, UnreadableObject, Watch, WatchEvent, WatchHealth, WatchOptions } from '../types.js';
import { connectEtcd, describeEtcdFailure, type EtcdConnectionOptions } from './etcd-connection.js';
import { EtcdEventSink } from './etcd-event-sink.js';
import { DEFAULT_ETCD_PREFIX, normalizePrefix, objectKey } from './etcd-keys.js';
import { currentLeader, EtcdLeaseElector } from './lease-elector.js';
import { ObjectMirror } from './object-mirror.js';
import { commitKeyWrites, keyWrites } from './object-txn.js';
import { ensureStoreMarker } from './store-marker.js';

export interface EtcdStoreOptions extends EtcdConnectionOptions {
  /** Root of every key; default "/polyfleet/". Several installations may share one etcd under different prefixes. */
  readonly prefix?: string;
  readonly logger?: Logger;
  readonly clock?: Clock;
  /** The installation id a new store (an empty prefix) gets. Default "pf-" and 12 random hex digits. */
  readonly newInstallationId?: () => string;
}

/** Stamped on what a write plans; replaced by the transaction's revision once etcd has it. */
const PENDING_REVISION = 'pending';

/**
 * The Store in etcd, shared by every process pointed at the same endpoints and prefix. Throws
 * EtcdUnavailableError (naming the endpoints and the cause: unreachable, credentials refused) or
 * ForeignDataError (the prefix holds keys that are not a polyfleet store) instead of opening.
 */
export async function openEtcdStore(options: EtcdStoreOptions): Promise<EtcdStore> {
  const logger = options.logger ?? createLogger({ level: 'warn', format: 'text', destination: pino.destination(2) });
  const prefix = normalizePrefix(options.prefix ?? DEFAULT_ETCD_PREFIX);
  const client = connectEtcd(options);
  try {
    const ns = client.namespace(prefix);
    const where = { endpoints: options.endpoints, prefix };
    const installationId = await ensureStoreMarker(ns, where, options.newInstallationId ?? (() => newInstallationId()));
    const hub = new WatchHub(logger);
    const mirror = new ObjectMirror({ ns, endpoints: options.endpoints, logger, publish: (changes) => { hub.publish(changes); } });
    await mirror.start();
    return new EtcdStore({ client, ns, mirror, hub, installationId, endpoints: options.endpoints, prefix, clock: options.clock ?? systemClock, callTimeoutMs: options.callTimeoutMs ?? 10_000 });
  } catch (e) {
    client.close();
    throw e;
  }
}

interface EtcdStoreParts {
  readonly client: Etcd3;
  readonly ns: Namespace;
  readonly mirror: ObjectMirror;
  readonly hub: WatchHub;
  readonly installationId: string;
  readonly endpoints: readonly string[];
  readonly prefix: string;
  readonly clock: Clock;
  readonly callTimeoutMs: number;
}

export class EtcdStore implements Store {
  /** @internal use openEtcdStore */
  constructor(private readonly parts: EtcdStoreParts) {}

  /** This installation's identity (the managed-by tag of its cloud instances), kept in the store's marker key. */
  get installationId(): string {
    return this.parts.installationId;
  }

  /** "etcd://HOST:PORT,… prefix /polyfleet/", for messages. */
  get location(): string {
    return `etcd://${this.parts.endpoints.join(',')} prefix ${this.parts.prefix}`;
  }

  get<K extends Kind>(kind: K, key: ObjectKey, options: GetOptions = {}): Promise<ResourceOf<K> | undefined> {
    const found = this.parts.mirror.objects.get(kind, key);
    if (found === undefined) return Promise.resolve(undefined);
    return Promise.resolve((options.readOnly === true ? found : cloneJson(found)) as ResourceOf<K>);
  }

  list<K extends Kind>(kind: K, options: ListOptions = {}): Promise<ResourceOf<K>[]> {
    const selector = parseLabelSelector(options.labelSelector ?? '');
    const found = [...this.parts.mirror.objects.values(kind)].filter((object) => {
      const { namespace = '', labels } = object.metadata;
      if (options.namespace !== undefined && namespace !== options.namespace) return false;
      return selector.length === 0 || matchesLabels(selector, labels);
    });
    const keyOfObject = (o: (typeof found)[number]): string => `${o.metadata.namespace ?? ''}/${o.metadata.name}`;
    found.sort((a, b) => (keyOfObject(a) < keyOfObject(b) ? -1 : keyOfObject(a) > keyOfObject(b) ? 1 : 0));
    return Promise.resolve(found.map((o) => (options.readOnly === true ? o : cloneJson(o)) as ResourceOf<K>));
  }

  watch<K extends Kind>(kind: K, handler: (event: WatchEvent<K>) => void, options: WatchOptions = {}): Watch {
    const watch = this.parts.hub.add(kind, options.namespace, handler, [...this.parts.mirror.objects.values(kind)]);
    return { ...watch, health: () => this.health() };
  }

  create<K extends Kind>(object: ResourceOf<K> & { kind: K }): Promise<ResourceOf<K>> {
    return this.commit((objects, ctx) => planCreate(objects, object, ctx)) as Promise<ResourceOf<K>>;
  }

  update<K extends Kind>(object: ResourceOf<K> & { kind: K }): Promise<ResourceOf<K>> {
    return this.commit((objects, ctx) => planUpdate(objects, object, ctx)) as Promise<ResourceOf<K>>;
  }

  patch<K extends Kind>(kind: K, key: ObjectKey, patch: Patch): Promise<ResourceOf<K>> {
    return this.commit((objects, ctx) => planPatch(objects, kind, key, patch, ctx)) as Promise<ResourceOf<K>>;
  }

  updateStatus<K extends Kind>(object: ResourceOf<K> & { kind: K }): Promise<ResourceOf<K>> {
    return this.commit((objects, ctx) => planUpdateStatus(objects, object, ctx)) as Promise<ResourceOf<K>>;
  }

  delete(kind: Kind, key: ObjectKey, options: DeleteOptions = {}): Promise<void> {
    return this.commit((objects, ctx) => planDelete(objects, kind, key, options, ctx));
  }

  unreadable(kind: Kind, namespace?: string): readonly UnreadableObject[] {
    return this.parts.mirror.unreadable(kind, namespace);
  }

  /** Events kept in etcd next to the objects, each for an hour after its last repeat. */
  eventSink(): EventSink {
    return new EtcdEventSink(this.parts.ns, this.parts.endpoints);
  }

  /** Not ok while the watch that keeps this store's view current is cut off from etcd. */
  health(): WatchHealth {
    return this.parts.mirror.health();
  }

  /**
   * Whether the planner's error `e` came from this mirror lagging behind etcd on the object it names;
   * if so, resolves once the mirror has caught up with that key, so the write can be planned again.
   */
  private async caughtUpWith(e: unknown, plannedAt: number): Promise<boolean> {
    const about = objectOfError(e);
    if (about === undefined) return false;
    const { mirror, ns, endpoints, callTimeoutMs } = this.parts;
    const key = objectKey(about.kind, about.key);
    let inEtcd: number;
    try {
      inEtcd = Number((await ns.get(key).exec()).kvs[0]?.mod_revision ?? 0);
    } catch (err) {
      throw describeEtcdFailure(endpoints, `reading ${key}`, err);
    }
    // The mirror moved on while etcd was asked: plan again on what it has now.
    if (mirror.revision > plannedAt) return true;
    const mirrored = mirror.modRevisionOf(key);
    if (inEtcd === mirrored) return false;
    const current = (): boolean => (inEtcd === 0 ? mirror.modRevisionOf(key) !== mirrored : mirror.modRevisionOf(key) >= inEtcd);
    await mirror.waitFor(current, `waiting to see ${key} at revision ${String(inEtcd)}`, callTimeoutMs * 3);
    return true;
  }

  /** Reads the writes of other processes: the watch already brings them, so nothing to do. */
  refresh(): Promise<void> {
    return Promise.resolve();
  }

  /** Leader election among the processes on this store: the etcd leader key, on a lease. */
  elector(logger: Logger, ttlSeconds?: number): EtcdLeaseElector {
    return new EtcdLeaseElector({ ns: this.parts.ns, logger, ...(ttlSeconds === undefined ? {} : { ttlSeconds }) });
  }

  /** The identity of the process leading on this store (a `polyfleet run`), if one does. */
  async leader(): Promise<string | undefined> {
    try {
      return await currentLeader(this.parts.ns);
    } catch (e) {
      throw describeEtcdFailure(this.parts.endpoints, 'reading the leader key', e);
    }
  }

  async close(): Promise<void> {
    this.parts.hub.stopAll();
    await this.parts.mirror.close();
    this.parts.client.close();
  }

  /**
   * Plans the write on the mirror and commits it in one etcd transaction that holds only if no key
   * it touches moved since. If one did (another process wrote), waits until the mirror has seen
   * that and plans again: the planner then fails with Conflict if the caller's resourceVersion is
   * stale, or plans on the newer state (a patch, a delete). Returns once the mirror, and so every
   * read and watch of this store, has the write. A planner's NotFound, Conflict or AlreadyExists is
   * checked against etcd itself first: the mirror may not have seen another process's write yet.
   */
  private async commit<T>(planner: (objects: ObjectIndex, ctx: WriteContext) => Planned<T>): Promise<T> {
    const { mirror, ns, endpoints, clock, callTimeoutMs } = this.parts;
    // A planner's error is re-checked a few times at most: on a busy store the mirror always moves.
    let recheckable = 3;
    for (;;) {
      let planned: Planned<T>;
      const plannedAt = mirror.revision;
      try {
        planned = planner(mirror.objects, { revision: PENDING_REVISION, now: rfc3339Seconds(clock.now()), newUid: randomUUID });
      } catch (e) {
        if (recheckable-- > 0 && (await this.caughtUpWith(e, plannedAt))) continue;
        throw e;
      }
      const writes = keyWrites(planned.ops, (key) => mirror.modRevisionOf(key), (object) => mirror.withUnknownFields(object));
      if (writes.length === 0) return cloneJson(planned.result);
      let outcome;
      try {
        outcome = await commitKeyWrites(ns, writes);
      } catch (e) {
        throw describeEtcdFailure(endpoints, `writing ${writes.map((w) => w.key).join(', ')}`, e);
      }
      if (outcome.ok) {
        const { revision } = outcome;
        await mirror.waitFor(() => mirror.revision >= revision, `waiting for the write at revision ${String(revision)}`, callTimeoutMs * 3);
        return cloneJson(stampRevision(planned.result, revision));
      }
      const moved = writes.filter((w, i) => (outcome.current[i] ?? 0) !== w.expected);
      await mirror.waitFor(() => moved.every((w) => mirror.modRevisionOf(w.key) !== w.expected), `waiting to see ${moved.map((w) => w.key).join(', ')} change`, callTimeoutMs * 3);
    }
  }
}

/** The object an error says is missing, stale or present, when the error is about one. */
function objectOfError(e: unknown): { kind: Kind; key: ObjectKey } | undefined {
  return e instanceof NotFoundError || e instanceof ConflictError || e instanceof AlreadyExistsError ? { kind: e.kind, key: e.key } : undefined;
}

/** The planner's result with the revision etcd gave the write as its resourceVersion. */
function stampRevision<T>(result: T, revision: number): T {
  const metadata = (result as { metadata?: { resourceVersion?: unknown } } | undefined)?.metadata;
  if (metadata?.resourceVersion !== PENDING_REVISION) return result;
  const object = result as { metadata: Record<string, unknown> };
  return { ...object, metadata: { ...object.metadata, resourceVersion: String(revision) } } as T;
}
