import { Counter, Gauge, Histogram, exponentialBuckets, type Registry } from 'prom-client';
import type { QueueMetrics } from '../queue/index.js';

/** controller-runtime's buckets: 10 ns to 10^3 s in powers of ten, so dashboards built for it read ours. */
const DURATION_BUCKETS = exponentialBuckets(10e-9, 10, 12);

/** client-go's workqueue metrics under controller-runtime's names; `name` and `controller` are both the controller. */
export function registerWorkqueueMetrics(registry: Registry): (controller: string) => QueueMetrics {
  const labelNames = ['name', 'controller'] as const;
  const registers = [registry];
  const depth = new Gauge({ name: 'workqueue_depth', help: 'Current depth of workqueue', labelNames, registers });
  const adds = new Counter({ name: 'workqueue_adds_total', help: 'Total number of adds handled by workqueue', labelNames, registers });
  const retries = new Counter({ name: 'workqueue_retries_total', help: 'Total number of retries handled by workqueue', labelNames, registers });
  const latency = new Histogram({
    name: 'workqueue_queue_duration_seconds',
    help: 'How long in seconds an item stays in workqueue before being requested',
    buckets: DURATION_BUCKETS,
    labelNames,
    registers,
  });
  const work = new Histogram({
    name: 'workqueue_work_duration_seconds',
    help: 'How long in seconds processing an item from workqueue takes',
    buckets: DURATION_BUCKETS,
    labelNames,
    registers,
  });
  return (controller) => {
    const labels = { name: controller, controller };
    // Zero-valued series from the start, so a rate() over a quiet controller is 0, not absent.
    adds.inc(labels, 0);
    retries.inc(labels, 0);
    depth.set(labels, 0);
    return {
      added: () => {
        adds.inc(labels);
      },
      depth: (items) => {
        depth.set(labels, items);
      },
      waited: (seconds) => {
        latency.observe(labels, seconds);
      },
      worked: (seconds) => {
        work.observe(labels, seconds);
      },
      retried: () => {
        retries.inc(labels);
      },
    };
  };
}
