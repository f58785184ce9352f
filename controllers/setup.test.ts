import { describe, expect, it } from '@jest/globals';
import { pino } from 'pino';
import type { EventSink } from '../runtime/events/index.js';
import type { ControllerRegistration } from '../runtime/manager/index.js';
import { MemoryStore } from '../runtime/testing/memory-store.js';
import { createMetrics } from '../runtime/metrics/index.js';
import { buildDeps, registerControllers } from './setup.js';

const sink: EventSink = { write: () => Promise.resolve(), list: () => Promise.resolve([]) };

describe('controllers/setup', () => {
  it('registers every controller once, each on its own kind', () => {
    const deps = buildDeps({ store: new MemoryStore(), eventSink: sink, log: pino({ level: 'silent' }), managedBy: 'pf-test' });
    const registered: ControllerRegistration[] = [];
    const names = registerControllers({ register: (r) => { registered.push(r); } }, deps);
    expect(names).toEqual(registered.map((r) => r.name));
    expect(new Set(names).size).toBe(names.length);
    expect(registered.map((r) => `${r.name}:${r.kind}`)).toEqual(['strategy:Strategy', 'placementrule:PlacementRule', 'nodepool:NodePool', 'machine:Machine', 'leak-collector:Strategy', 'hostgroup:HostGroup']);
  });

  it('runs the Machine controller with 50 reconciles at once unless told another number (the bench\'s scale-out sets one)', () => {
    const deps = buildDeps({ store: new MemoryStore(), eventSink: sink, log: pino({ level: 'silent' }), managedBy: 'pf-test' });
    const concurrency = (options: Parameters<typeof registerControllers>[2]): number | undefined => {
      const registered: ControllerRegistration[] = [];
      registerControllers({ register: (r) => { registered.push(r); } }, deps, options);
      return registered.find((r) => r.name === 'machine')?.maxConcurrentReconciles;
    };
    expect(concurrency({})).toBe(50);
    expect(concurrency({ machineConcurrency: 100 })).toBe(100);
  });

  it('tags with the installation identity it is given and shares one back-off and catalogue across controllers', () => {
    const deps = buildDeps({ store: new MemoryStore(), eventSink: sink, log: pino({ level: 'silent' }), managedBy: 'team-a' });
    expect(deps.managedBy).toBe('team-a');
    expect(deps.catalog).toBeDefined();
  });

  it('puts the leak collector\'s metrics on the manager\'s registry', async () => {
    const metrics = createMetrics();
    const deps = buildDeps({ store: new MemoryStore(), eventSink: sink, log: pino({ level: 'silent' }), managedBy: 'pf-test', metrics });
    registerControllers({ register: () => undefined }, deps, { metrics, leakGraceMs: 60_000 });
    expect(await metrics.registry.metrics()).toContain('polyfleet_gc_leaked_instances_collected_total');
  });
});
