import { Counter, Gauge, type Registry } from 'prom-client';
import { KINDS, type Kind } from '../../api/index.js';
import { StoreError, type Store } from '../store/index.js';

/** The Store methods, as the `verb` label names them. */
export type StoreVerb = 'get' | 'list' | 'watch' | 'create' | 'update' | 'patch' | 'updateStatus' | 'delete';

export interface StoreRequest {
  /** "file", "kube", "etcd". */
  readonly backend: string;
  readonly verb: StoreVerb;
  readonly kind: Kind;
  /** See `storeRequestCode`. */
  readonly code: string;
}

/** Counts store requests; a backend calls it for each request it serves or sends, or `instrumentStore` does. */
export interface StoreRequestMetrics {
  record(request: StoreRequest): void;
}

/** A request's outcome as the Kubernetes API names it: "OK", a StoreError's reason ("NotFound", "Conflict", …), or "Error". */
export function storeRequestCode(error?: unknown): string {
  if (error === undefined) return 'OK';
  return error instanceof StoreError ? error.reason : 'Error';
}

export function registerStoreMetrics(registry: Registry): StoreRequestMetrics {
  const requests = new Counter({
    name: 'polyfleet_store_requests_total',
    help: 'Store requests by backend, verb, kind and outcome code',
    labelNames: ['backend', 'verb', 'kind', 'code'] as const,
    registers: [registry],
  });
  return {
    record: ({ backend, verb, kind, code }) => {
      requests.inc({ backend, verb, kind, code });
    },
  };
}

/** polyfleet_store_unreadable_objects{kind}, read from every tracked store at each scrape. */
export interface UnreadableObjectsMetric {
  track(store: Pick<Store, 'unreadable'>): void;
}

export function registerUnreadableObjectsMetric(registry: Registry): UnreadableObjectsMetric {
  const stores: Pick<Store, 'unreadable'>[] = [];
  new Gauge({
    name: 'polyfleet_store_unreadable_objects',
    help: 'Objects the store holds that this version cannot read (a field of the wrong type), so controllers do not see them; see Store.unreadable',
    labelNames: ['kind'] as const,
    registers: [registry],
    collect() {
      for (const kind of KINDS) {
        let count = 0;
        for (const store of stores) count += store.unreadable(kind).length;
        this.set({ kind }, count);
      }
    },
  });
  return {
    track: (store) => {
      if (!stores.includes(store)) stores.push(store);
    },
  };
}
