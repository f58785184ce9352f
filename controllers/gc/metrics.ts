import { Counter } from 'prom-client';
import type { Registry } from 'prom-client';

/** What the leak collector reports, free of any metrics library. */
export interface LeakMetrics {
  collected(provider: string): void;
}

export const noLeakMetrics: LeakMetrics = { collected() {} };

/** polyfleet_gc_leaked_instances_collected_total{provider}: an instance deleted because its Machine is gone. */
export function registerLeakMetrics(registry: Registry): LeakMetrics {
  const counter = new Counter({
    name: 'polyfleet_gc_leaked_instances_collected_total',
    help: 'Cloud instances deleted by the leak collector because no Machine owns them.',
    labelNames: ['provider'],
    registers: [registry],
  });
  return {
    collected(provider) {
      counter.inc({ provider });
    },
  };
}
