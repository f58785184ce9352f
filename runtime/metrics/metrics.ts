import { Registry, collectDefaultMetrics } from 'prom-client';
import type { ReconcileMetrics } from '../controller/index.js';
import type { QueueMetrics } from '../queue/index.js';
import { registerProviderMetrics, type ProviderRequestMetrics } from './provider-metrics.js';
import { registerReconcileMetrics } from './reconcile-metrics.js';
import { registerStoreMetrics, registerUnreadableObjectsMetric, type StoreRequestMetrics, type UnreadableObjectsMetric } from './store-metrics.js';
import { registerWorkqueueMetrics } from './workqueue-metrics.js';

/** One manager's metrics, in a registry of its own (not prom-client's global one), so tests and managers stay apart. */
export interface Metrics {
  readonly registry: Registry;
  queue(controller: string): QueueMetrics;
  reconciles(controller: string): ReconcileMetrics;
  readonly store: StoreRequestMetrics;
  /** Stores to count unreadable objects of; the Manager tracks its own. */
  readonly unreadableObjects: UnreadableObjectsMetric;
  /** The ProviderObserver to give createProvider (ProviderOptions.observer). */
  readonly providers: ProviderRequestMetrics;
}

export interface MetricsOptions {
  /** Also expose process_* and nodejs_* metrics (CPU, memory, event loop lag); off in tests. */
  readonly processMetrics?: boolean;
}

export function createMetrics(options: MetricsOptions = {}): Metrics {
  const registry = new Registry();
  if (options.processMetrics === true) collectDefaultMetrics({ register: registry });
  return {
    registry,
    queue: registerWorkqueueMetrics(registry),
    reconciles: registerReconcileMetrics(registry),
    store: registerStoreMetrics(registry),
    unreadableObjects: registerUnreadableObjectsMetric(registry),
    providers: registerProviderMetrics(registry),
  };
}
