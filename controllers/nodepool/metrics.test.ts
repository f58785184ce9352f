import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { Registry } from 'prom-client';
import { manifest, nodePoolFixture, NS, type NodePoolFixture } from './fixture.js';
import { registerPoolMetrics } from './metrics.js';
import { nodePoolController } from './registration.js';

const STRATEGY = { pick: 'cheapest', providers: [{ name: 'sim-a', type: 'sim', regions: ['na-east'] }] };

let fx: NodePoolFixture;
let registry: Registry;
let reconcile: (name?: string) => Promise<unknown>;

beforeEach(async () => {
  fx = await nodePoolFixture();
  registry = new Registry();
  let names = 0;
  const controller = nodePoolController(fx.deps, { suffix: () => `m${String(names++).padStart(4, '0')}`, metrics: registerPoolMetrics(registry) });
  reconcile = (name = 'workers') => controller.reconcile(fx.ctx, { namespace: NS, name });
});
afterEach(async () => {
  await fx.close();
});

/** The registry's samples of one metric as "labels value" lines, sorted. */
async function samples(name: string): Promise<string[]> {
  const metric = (await registry.getMetricsAsJSON()).find((m) => m.name === name);
  return (metric?.values ?? []).map((v) => `${Object.entries(v.labels).sort(([a], [b]) => (a < b ? -1 : 1)).map(([k, l]) => `${k}=${String(l)}`).join(',')} ${String(v.value)}`).sort();
}

describe('NodePool metrics', () => {
  it('follow the status: conditions one-hot, Machines by phase, desired Machines and hourly cost, labelled by pool only', async () => {
    await fx.store.create(manifest('Strategy', 'cheap', { ...STRATEGY, budget: { maxHourlyTotal: '0.50' } }));
    await fx.store.create(manifest('NodePool', 'workers', { replicas: 3, strategyRef: { name: 'cheap' } }));
    await reconcile();
    // Counted as the status counts them, before this reconcile's creates: none yet, every phase shown.
    expect(await samples('polyfleet_nodepool_machines')).toEqual(['Failed', 'Pending', 'Provisioning', 'Running', 'Terminating'].map((p) => `namespace=default,nodepool=workers,phase=${p} 0`));
    expect(await samples('polyfleet_nodepool_desired_machines')).toEqual(['namespace=default,nodepool=workers 3']);
    const [first] = await fx.machines();
    await fx.markRunning(first!, '0.25');
    await reconcile();
    expect(await samples('polyfleet_nodepool_machines')).toEqual([
      'namespace=default,nodepool=workers,phase=Failed 0',
      'namespace=default,nodepool=workers,phase=Pending 2',
      'namespace=default,nodepool=workers,phase=Provisioning 0',
      'namespace=default,nodepool=workers,phase=Running 1',
      'namespace=default,nodepool=workers,phase=Terminating 0',
    ]);
    expect(await samples('polyfleet_nodepool_hourly_cost_dollars')).toEqual(['namespace=default,nodepool=workers 0.25']);
    const conditions = await samples('polyfleet_nodepool_condition');
    expect(conditions).toContain('namespace=default,nodepool=workers,status=False,type=Ready 1');
    expect(conditions).toContain('namespace=default,nodepool=workers,status=True,type=Ready 0');
    expect(conditions).toContain('namespace=default,nodepool=workers,status=Unknown,type=Ready 0');
    expect(conditions).toContain('namespace=default,nodepool=workers,status=False,type=BudgetExceeded 1');
    expect(conditions.filter((c) => c.endsWith(' 1'))).toHaveLength(6); // one status per condition type
  });

  it('shows BudgetExceeded, and forgets a pool once it is gone', async () => {
    await fx.store.create(manifest('Strategy', 'cheap', { ...STRATEGY, budget: { maxHourlyTotal: '0.01' } }));
    await fx.store.create(manifest('NodePool', 'workers', { replicas: 3, strategyRef: { name: 'cheap' } }));
    await reconcile();
    expect(await samples('polyfleet_nodepool_condition')).toContain('namespace=default,nodepool=workers,status=True,type=BudgetExceeded 1');
    const pool = await fx.pool();
    await fx.store.update({ ...pool, kind: 'NodePool', metadata: { ...pool.metadata, finalizers: [] } });
    await fx.store.delete('NodePool', { namespace: NS, name: 'workers' });
    await reconcile();
    for (const name of ['polyfleet_nodepool_condition', 'polyfleet_nodepool_machines', 'polyfleet_nodepool_desired_machines', 'polyfleet_nodepool_hourly_cost_dollars']) {
      expect({ name, samples: await samples(name) }).toEqual({ name, samples: [] });
    }
  });
});
