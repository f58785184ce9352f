import { Counter, Gauge, Histogram, type Registry } from 'prom-client';
import type { ReconcileMetrics } from '../controller/index.js';

/** controller-runtime's reconcile_time_seconds buckets. */
const RECONCILE_BUCKETS = [
  0.005, 0.01, 0.025, 0.05, 0.1, 0.15, 0.2, 0.25, 0.3, 0.35, 0.4, 0.45, 0.5, 0.6, 0.7, 0.8, 0.9, 1.0, 1.25, 1.5, 1.75, 2.0, 2.5, 3.0,
  3.5, 4.0, 4.5, 5, 6, 7, 8, 9, 10, 15, 20, 25, 30, 40, 50, 60,
];

const OUTCOMES = ['success', 'error', 'requeue', 'requeue_after'] as const;

/** controller-runtime's controller metrics under its names and labels. */
export function registerReconcileMetrics(registry: Registry): (controller: string) => ReconcileMetrics {
  const registers = [registry];
  const total = new Counter({
    name: 'controller_runtime_reconcile_total',
    help: 'Total number of reconciliations per controller',
    labelNames: ['controller', 'result'] as const,
    registers,
  });
  const errors = new Counter({
    name: 'controller_runtime_reconcile_errors_total',
    help: 'Total number of reconciliation errors per controller',
    labelNames: ['controller'] as const,
    registers,
  });
  const terminal = new Counter({
    name: 'controller_runtime_terminal_reconcile_errors_total',
    help: 'Total number of terminal reconciliation errors per controller',
    labelNames: ['controller'] as const,
    registers,
  });
  const time = new Histogram({
    name: 'controller_runtime_reconcile_time_seconds',
    help: 'Length of time per reconciliation per controller',
    buckets: RECONCILE_BUCKETS,
    labelNames: ['controller'] as const,
    registers,
  });
  const maxConcurrent = new Gauge({
    name: 'controller_runtime_max_concurrent_reconciles',
    help: 'Maximum number of concurrent reconciles per controller',
    labelNames: ['controller'] as const,
    registers,
  });
  const active = new Gauge({
    name: 'controller_runtime_active_workers',
    help: 'Number of currently used workers per controller',
    labelNames: ['controller'] as const,
    registers,
  });
  return (controller) => {
    for (const result of OUTCOMES) total.inc({ controller, result }, 0);
    errors.inc({ controller }, 0);
    terminal.inc({ controller }, 0);
    active.set({ controller }, 0);
    return {
      reconciled: (outcome, seconds) => {
        total.inc({ controller, result: outcome });
        if (outcome === 'error') errors.inc({ controller });
        time.observe({ controller }, seconds);
      },
      terminalError: () => {
        terminal.inc({ controller });
      },
      activeWorkers: (count) => {
        active.set({ controller }, count);
      },
      maxConcurrentReconciles: (count) => {
        maxConcurrent.set({ controller }, count);
      },
    };
  };
}
