import {
  CustomObjectsApi,
  PatchStrategy,
  V1DeleteOptions,
  V1Preconditions,
  Watch,
  setHeaderOptions,
  type ConfigurationOptions,
  type KubeConfig,
} from '@kubernetes/client-node';
import { CRD_KINDS } from '../../../api/crd/index.js';
import { GROUP, VERSION, type Kind } from '../../../api/index.js';
import type { DeleteOptions, ObjectKey, Patch } from '../types.js';
import { reuseConnections } from './reuse-connections.js';

/** Every write of ours carries it, so `managedFields` tell polyfleet's changes from a human's. */
export const FIELD_MANAGER = 'polyfleet';

export interface ListPage {
  readonly items: readonly unknown[];
  readonly resourceVersion: string;
  readonly continueToken: string | undefined;
}

export interface WatchCallbacks {
  /** One line of the stream: ADDED, MODIFIED, DELETED, BOOKMARK or ERROR with its object. */
  onEvent(type: string, object: unknown): void;
  /** The stream ended: `error` is undefined when the server closed it (its timeout). */
  onClose(error: unknown): void;
}

export interface RunningWatch {
  abort(): void;
}

/** What an informer needs from the API server: one kind, in every namespace or in one. */
export interface ListWatchClient {
  listPage(options: { readonly limit: number; readonly continueToken?: string | undefined }): Promise<ListPage>;
  watch(options: { readonly resourceVersion: string; readonly timeoutSeconds: number }, callbacks: WatchCallbacks): Promise<RunningWatch>;
}

/** A deletion the API server answered with the object (finalizers hold it) or with a Status (it is gone). */
export type DeleteResult = { readonly gone: false; readonly object: unknown } | { readonly gone: true; readonly uid: string | undefined };

/** One polyfleet kind through the custom-objects API; errors are the client's own (see api-errors.ts). */
export class CustomResourceClient implements ListWatchClient {
  private readonly api: CustomObjectsApi;
  private readonly watcher: Watch;
  private readonly plural: string;
  private readonly pooled: ConfigurationOptions;
  private readonly mergePatch: ConfigurationOptions;
  private readonly jsonPatch: ConfigurationOptions;

  constructor(kubeConfig: KubeConfig, kind: Kind) {
    this.api = kubeConfig.makeApiClient(CustomObjectsApi);
    this.pooled = reuseConnections();
    this.mergePatch = setHeaderOptions('Content-Type', PatchStrategy.MergePatch, this.pooled);
    this.jsonPatch = setHeaderOptions('Content-Type', PatchStrategy.JsonPatch, this.pooled);
    this.watcher = new Watch(kubeConfig);
    const crd = CRD_KINDS.find((k) => k.kind === kind);
    if (crd === undefined) throw new Error(`no CRD is defined for kind ${kind} in api/crd/crd-kinds.ts`);
    this.plural = crd.plural;
  }

  /**
   * The list and watch of one namespace only (`/apis/…/namespaces/NS/<plural>`), which RBAC grants
   * with a Role there; this client's own `listPage` and `watch` span every namespace (a ClusterRole).
   */
  inNamespace(namespace: string): ListWatchClient {
    return {
      listPage: (options) => this.listPage(options, namespace),
      watch: (options, callbacks) => this.watch(options, callbacks, namespace),
    };
  }

  async listPage(options: { readonly limit: number; readonly continueToken?: string | undefined }, namespace?: string): Promise<ListPage> {
    const page = { limit: options.limit, _continue: options.continueToken };
    const list = (await (namespace === undefined
      ? this.api.listCustomObjectForAllNamespaces({ group: GROUP, version: VERSION, resourcePlural: this.plural, ...page }, this.pooled)
      : this.api.listNamespacedCustomObject({ ...this.path(namespace), ...page }, this.pooled))) as {
      items?: unknown[];
      metadata?: { resourceVersion?: string; continue?: string };
    };
    const continueToken = list.metadata?.continue;
    return {
      items: list.items ?? [],
      resourceVersion: list.metadata?.resourceVersion ?? '',
      continueToken: continueToken === undefined || continueToken === '' ? undefined : continueToken,
    };
  }

  async watch(options: { readonly resourceVersion: string; readonly timeoutSeconds: number }, callbacks: WatchCallbacks, namespace?: string): Promise<RunningWatch> {
    const controller = await this.watcher.watch(
      namespace === undefined ? `/apis/${GROUP}/${VERSION}/${this.plural}` : `/apis/${GROUP}/${VERSION}/namespaces/${namespace}/${this.plural}`,
      { resourceVersion: options.resourceVersion, allowWatchBookmarks: true, timeoutSeconds: options.timeoutSeconds },
      (type: string, object: unknown) => {
        callbacks.onEvent(type, object);
      },
      (error: unknown) => {
        callbacks.onClose(error ?? undefined);
      },
    );
    return {
      abort: () => {
        controller.abort();
      },
    };
  }

  create(namespace: string, body: object): Promise<unknown> {
    return this.api.createNamespacedCustomObject({ ...this.path(namespace), body, fieldManager: FIELD_MANAGER }, this.pooled) as Promise<unknown>;
  }

  replace(key: ObjectKey, body: object): Promise<unknown> {
    return this.api.replaceNamespacedCustomObject(
      { ...this.path(key.namespace), name: key.name, body, fieldManager: FIELD_MANAGER },
      this.pooled,
    ) as Promise<unknown>;
  }

  replaceStatus(key: ObjectKey, body: object): Promise<unknown> {
    return this.api.replaceNamespacedCustomObjectStatus(
      { ...this.path(key.namespace), name: key.name, body, fieldManager: FIELD_MANAGER },
      this.pooled,
    ) as Promise<unknown>;
  }

  patch(key: ObjectKey, patch: Patch): Promise<unknown> {
    const request = { ...this.path(key.namespace), name: key.name, fieldManager: FIELD_MANAGER };
    if (patch.type === 'merge') return this.api.patchNamespacedCustomObject({ ...request, body: patch.patch }, this.mergePatch) as Promise<unknown>;
    return this.api.patchNamespacedCustomObject({ ...request, body: patch.ops }, this.jsonPatch) as Promise<unknown>;
  }

  async delete(key: ObjectKey, options: DeleteOptions = {}): Promise<DeleteResult> {
    const answer = (await this.api.deleteNamespacedCustomObject({
      ...this.path(key.namespace),
      name: key.name,
      body: deleteOptions(options),
    }, this.pooled)) as { kind?: string; details?: { uid?: string } } | null;
    if (answer?.kind === 'Status') return { gone: true, uid: answer.details?.uid };
    return { gone: false, object: answer };
  }

  private path(namespace: string): { group: string; version: string; namespace: string; plural: string } {
    return { group: GROUP, version: VERSION, namespace, plural: this.plural };
  }
}

/** The API's preconditions: delete only this incarnation (uid), or only this version of it. */
function deleteOptions(options: DeleteOptions): V1DeleteOptions | undefined {
  if (options.uid === undefined && options.resourceVersion === undefined) return undefined;
  const preconditions = new V1Preconditions();
  preconditions.uid = options.uid;
  preconditions.resourceVersion = options.resourceVersion;
  const body = new V1DeleteOptions();
  body.preconditions = preconditions;
  return body;
}
