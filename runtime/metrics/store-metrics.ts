import { Counter, type Registry } from 'prom-client';
import type { Kind } from '../../api/index.js';
import { StoreError } from '../store/index.js';

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
