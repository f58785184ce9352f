import type { KubeConfig } from '@kubernetes/client-node';
import type { Logger } from 'pino';
import type { Kind, ResourceOf } from '../../../api/index.js';
import { systemTimers, type Timers } from '../../clock.js';
import { matchesLabels, parseLabelSelector } from '../label-selector.js';
import {
  keyOf,
  type DeleteOptions,
  type GetOptions,
  type ListOptions,
  type ObjectKey,
  type Patch,
  type Store,
  type UnreadableObject,
  type Watch,
  type WatchEvent,
  type WatchOptions,
} from '../types.js';
import { toStoreError } from './api-errors.js';
import { Backoff, type BackoffOptions } from './backoff.js';
import { CustomResourceClient } from './custom-resource-client.js';
import { decodeWritten, lenientDecoder } from './decode.js';
import { Informer } from './informer.js';
import { UnknownFields } from './unknown-fields.js';

export interface KubeStoreOptions {
  readonly kubeConfig: KubeConfig;
  readonly logger: Logger;
  readonly timers?: Timers;
  /** See InformerOptions.resyncPeriodMs. Default 10 min. */
  readonly resyncPeriodMs?: number;
  /** Reconnect backoff of the informers. Default 0.8 s doubling to 30 s. */
  readonly backoff?: BackoffOptions;
  /**
   * List and watch only these namespaces, one informer per kind and namespace, so RBAC Roles there
   * suffice (no ClusterRole); reading another namespace is an error. Default: every namespace, one
   * informer per kind.
   */
  readonly namespaces?: readonly string[];
}

/** The informers of one kind are keyed by namespace; EVERY_NAMESPACE is the key of a cluster-wide one. */
const EVERY_NAMESPACE = '';

/**
 * The Store on the Kubernetes API: reads and watches come from one informer per kind (started on
 * first use, every namespace; or one per kind and namespace when `namespaces` is given), writes go to the API server and their answers into the informer's
 * cache (write-through), so this process reads its own writes at once. Objects with fields this
 * version does not know are read without them, and `update`/`updateStatus` put them back before
 * sending (unknown-fields.ts); objects it cannot read at all are listed by `unreadable`.
 */
export class KubeStore implements Store {
  /** Per kind, by namespace (EVERY_NAMESPACE when cluster-wide); each holds an Informer<ResourceOf<kind>>, which TypeScript cannot say of a map keyed by kind. */
  private readonly informers = new Map<Kind, Map<string, { stop(): void }>>();
  private readonly clients = new Map<Kind, CustomResourceClient>();
  private readonly unknownFields = new UnknownFields();
  private closed = false;

  private readonly scopes: readonly string[];

  constructor(private readonly options: KubeStoreOptions) {
    const namespaces = options.namespaces ?? [];
    if (options.namespaces !== undefined && namespaces.length === 0) throw new Error('a namespace-scoped kube store needs at least one namespace');
    if (namespaces.some((n) => n === EVERY_NAMESPACE)) throw new Error('a namespace-scoped kube store cannot watch an empty namespace name');
    this.scopes = namespaces.length === 0 ? [EVERY_NAMESPACE] : [...new Set(namespaces)];
  }

  async get<K extends Kind>(kind: K, key: ObjectKey, options: GetOptions = {}): Promise<ResourceOf<K> | undefined> {
    const [informer] = this.readers(kind, key.namespace);
    if (informer === undefined) return undefined;
    await informer.whenSynced();
    const object = informer.cache.get(key.namespace, key.name);
    if (object === undefined) return undefined;
    return options.readOnly === true ? object : structuredClone(object);
  }

  async list<K extends Kind>(kind: K, options: ListOptions = {}): Promise<ResourceOf<K>[]> {
    const selector = parseLabelSelector(options.labelSelector ?? '');
    const informers = this.readers(kind, options.namespace);
    await Promise.all(informers.map((i) => i.whenSynced()));
    return informers
      .flatMap((i) => i.cache.list(options.namespace))
      .filter((o) => matchesLabels(selector, o.metadata.labels))
      // The cache replaces objects, never edits them, so a reader may have them.
      .map((o) => (options.readOnly === true ? o : structuredClone(o)));
  }

  watch<K extends Kind>(kind: K, handler: (event: WatchEvent<K>) => void, options: WatchOptions = {}): Watch {
    const informers = this.readers(kind, options.namespace);
    const subscriptions = informers.map((i) => i.subscribe(handler, options.namespace));
    return {
      synced: Promise.all(subscriptions.map((s) => s.synced)).then(() => undefined),
      health: () => informers.map((i) => i.health()).find((h) => !h.ok) ?? { ok: true },
      stop: () => {
        for (const s of subscriptions) s.stop();
      },
    };
  }

  create<K extends Kind>(object: ResourceOf<K> & { kind: K }): Promise<ResourceOf<K>> {
    const key = keyOf(object);
    const body = { ...object, metadata: { ...object.metadata, namespace: key.namespace } };
    return this.write(object.kind, 'create', key, (client) => client.create(key.namespace, body));
  }

  update<K extends Kind>(object: ResourceOf<K> & { kind: K }): Promise<ResourceOf<K>> {
    const key = keyOf(object);
    const body = this.withUnknownFields(object);
    return this.write(object.kind, 'update', key, (client) => client.replace(key, body));
  }

  patch<K extends Kind>(kind: K, key: ObjectKey, patch: Patch): Promise<ResourceOf<K>> {
    return this.write(kind, 'patch', key, (client) => client.patch(key, patch));
  }

  updateStatus<K extends Kind>(object: ResourceOf<K> & { kind: K }): Promise<ResourceOf<K>> {
    const key = keyOf(object);
    const body = this.withUnknownFields(object);
    return this.write(object.kind, 'update status of', key, (client) => client.replaceStatus(key, body));
  }

  async delete(kind: Kind, key: ObjectKey, options: DeleteOptions = {}): Promise<void> {
    const informer = this.running(kind, key.namespace);
    const seq = informer?.beginWrite();
    try {
      const result = await this.client(kind)
        .delete(key, options)
        .catch((e: unknown) => {
          throw toStoreError(e, 'delete', kind, key);
        });
      if (result.gone) informer?.observeDeleted(key.namespace, key.name, result.uid);
      else {
        // Finalizers hold it. Nothing is returned, so an answer this version cannot read is left to the watch.
        const decoded = lenientDecoder(kind, this.unknownFields)(result.object);
        if (decoded.kind === 'readable') informer?.observeWritten(decoded.object);
      }
    } finally {
      if (seq !== undefined) informer?.endWrite(seq);
    }
  }

  /** From the kind's informer; empty if none runs (nothing of the kind was read yet, or the store is closed). */
  unreadable(kind: Kind, namespace?: string): readonly UnreadableObject[] {
    const informers = [...(this.informers.get(kind)?.values() ?? [])] as Informer<ResourceOf<Kind>>[];
    return informers.flatMap((i) => i.unreadable(namespace));
  }

  close(): Promise<void> {
    this.closed = true;
    for (const byNamespace of this.informers.values()) for (const informer of byNamespace.values()) informer.stop();
    this.informers.clear();
    return Promise.resolve();
  }

  /** Sends a write and puts the object the API server answers with into the kind's cache, if one runs. */
  private async write<K extends Kind>(
    kind: K,
    verb: string,
    key: ObjectKey,
    send: (client: CustomResourceClient) => Promise<unknown>,
  ): Promise<ResourceOf<K>> {
    const informer = this.running(kind, key.namespace);
    const seq = informer?.beginWrite();
    try {
      const answer = await send(this.client(kind)).catch((e: unknown) => {
        throw toStoreError(e, verb, kind, key);
      });
      const object = decodeWritten(kind, answer, this.unknownFields);
      informer?.observeWritten(object);
      return structuredClone(object);
    } finally {
      if (seq !== undefined) informer?.endWrite(seq);
    }
  }

  /** `object` with the unknown fields of the cached copy it was read from; see UnknownFields. */
  private withUnknownFields(object: ResourceOf<Kind>): object {
    const key = keyOf(object);
    return this.unknownFields.carryThrough(object, this.running(object.kind, key.namespace)?.cache.get(key.namespace, key.name));
  }

  /** The informer whose cache holds `namespace`'s objects of the kind, if it runs (none for a namespace out of scope). */
  private running<K extends Kind>(kind: K, namespace: string): Informer<ResourceOf<K>> | undefined {
    this.assertOpen();
    const scope = this.scopes.includes(EVERY_NAMESPACE) ? EVERY_NAMESPACE : namespace;
    return this.informers.get(kind)?.get(scope) as Informer<ResourceOf<K>> | undefined;
  }

  /** The informers to read `namespace` (undefined: every namespace in scope) from, started if need be. */
  private readers<K extends Kind>(kind: K, namespace: string | undefined): Informer<ResourceOf<K>>[] {
    this.assertOpen();
    if (this.scopes.includes(EVERY_NAMESPACE)) return [this.informer(kind, EVERY_NAMESPACE)];
    if (namespace === undefined) return this.scopes.map((scope) => this.informer(kind, scope));
    if (!this.scopes.includes(namespace)) {
      throw new Error(`namespace ${namespace} is not watched by this store (it watches ${this.scopes.join(', ')}); ${kind} objects there cannot be read`);
    }
    return [this.informer(kind, namespace)];
  }

  private informer<K extends Kind>(kind: K, scope: string): Informer<ResourceOf<K>> {
    const byNamespace = this.informers.get(kind) ?? new Map<string, { stop(): void }>();
    this.informers.set(kind, byNamespace);
    const existing = byNamespace.get(scope) as Informer<ResourceOf<K>> | undefined;
    if (existing !== undefined) return existing;
    const client = this.client(kind);
    const informer = new Informer<ResourceOf<K>>({
      kind,
      client: scope === EVERY_NAMESPACE ? client : client.inNamespace(scope),
      decode: lenientDecoder(kind, this.unknownFields),
      logger: scope === EVERY_NAMESPACE ? this.options.logger : this.options.logger.child({ namespace: scope }),
      timers: this.options.timers ?? systemTimers,
      resyncPeriodMs: this.options.resyncPeriodMs,
      backoff: new Backoff(this.options.backoff),
    });
    byNamespace.set(scope, informer);
    informer.start();
    return informer;
  }

  private client(kind: Kind): CustomResourceClient {
    let client = this.clients.get(kind);
    if (client === undefined) {
      client = new CustomResourceClient(this.options.kubeConfig, kind);
      this.clients.set(kind, client);
    }
    return client;
  }

  private assertOpen(): void {
    if (this.closed) throw new Error('the kube store is closed');
  }
}
