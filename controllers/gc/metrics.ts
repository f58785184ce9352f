import { Counter, Gauge } from 'prom-client';
import type { Registry } from 'prom-client';

/** What the leak collector reports, free of any metrics library. */
export interface LeakMetrics {
  collected(provider: string): void;
  /** Whether collection in `namespace` stands down (a Machine there could not be read). */
  standingDown(namespace: string, standing: boolean): void;
}

export const noLeakMetrics: LeakMetrics = { collected() {}, standingDown() {} };

/** polyfleet_gc_leaked_instances_collected_total{provider}: an instance deleted because its Machine is gone. */
export function registerLeakMetrics(registry: Registry): LeakMetrics {
  const counter = new Counter({
    name: 'polyfleet_gc_leaked_instances_collected_total',
    help: 'Cloud instances deleted by the leak collector because no Machine owns them.',
    labelNames: ['provider'],
    registers: [registry],
  });
  const standing = new Gauge({
    name: 'polyfleet_gc_standing_down',
    help: 'The leak collector collects nothing in the namespace (1) because some of its Machines could not be read.',
    labelNames: ['namespace'],
    registers: [registry],
  });
  return {
    collected(provider) {
      counter.inc({ provider });
    },
    standingDown(namespace, down) {
      standing.set({ namespace }, down ? 1 : 0);
    },
  };
}
