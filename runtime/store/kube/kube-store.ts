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
}

/**
 * The Store on the Kubernetes API: reads and watches come from one informer per kind (started on
 * first use, every namespace), writes go to the API server and their answers into the informer's
 * cache (write-through), so this process reads its own writes at once. Objects with fields this
 * version does not know are read without them, and `update`/`updateStatus` put them back before
 * sending (unknown-fields.ts); objects it cannot read at all are listed by `unreadable`.
 */
export class KubeStore implements Store {
  /** Each holds an Informer<ResourceOf<kind>>; TypeScript cannot say so of a map keyed by kind. */
  private readonly informers = new Map<Kind, { stop(): void }>();
  private readonly clients = new Map<Kind, CustomResourceClient>();
  private readonly unknownFields = new UnknownFields();
  private closed = false;

  constructor(private readonly options: KubeStoreOptions) {}

  async get<K extends Kind>(kind: K, key: ObjectKey, options: GetOptions = {}): Promise<ResourceOf<K> | undefined> {
    const informer = this.informer(kind);
    await informer.whenSynced();
    const object = informer.cache.get(key.namespace, key.name);
    if (object === undefined) return undefined;
    return options.readOnly === true ? object : structuredClone(object);
  }

  async list<K extends Kind>(kind: K, options: ListOptions = {}): Promise<ResourceOf<K>[]> {
    const selector = parseLabelSelector(options.labelSelector ?? '');
    const informer = this.informer(kind);
    await informer.whenSynced();
    return informer.cache
      .list(options.namespace)
      .filter((o) => matchesLabels(selector, o.metadata.labels))
      // The cache replaces objects, never edits them, so a reader may have them.
      .map((o) => (options.readOnly === true ? o : structuredClone(o)));
  }

  watch<K extends Kind>(kind: K, handler: (event: WatchEvent<K>) => void, options: WatchOptions = {}): Watch {
    const informer = this.informer(kind);
    const subscription = informer.subscribe(handler, options.namespace);
    return { synced: subscription.synced, health: () => informer.health(), stop: () => { subscription.stop(); } };
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
    const informer = this.running(kind);
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
    return (this.informers.get(kind) as Informer<ResourceOf<Kind>> | undefined)?.unreadable(namespace) ?? [];
  }

  close(): Promise<void> {
    this.closed = true;
    for (const informer of this.informers.values()) informer.stop();
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
    const informer = this.running(kind);
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
    return this.unknownFields.carryThrough(object, this.running(object.kind)?.cache.get(key.namespace, key.name));
  }

  private running<K extends Kind>(kind: K): Informer<ResourceOf<K>> | undefined {
    this.assertOpen();
    return this.informers.get(kind) as Informer<ResourceOf<K>> | undefined;
  }

  private informer<K extends Kind>(kind: K): Informer<ResourceOf<K>> {
    const existing = this.running(kind);
    if (existing !== undefined) return existing;
    const informer = new Informer<ResourceOf<K>>({
      kind,
      client: this.client(kind),
      decode: lenientDecoder(kind, this.unknownFields),
      logger: this.options.logger,
      timers: this.options.timers ?? systemTimers,
      resyncPeriodMs: this.options.resyncPeriodMs,
      backoff: new Backoff(this.options.backoff),
    });
    this.informers.set(kind, informer);
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
