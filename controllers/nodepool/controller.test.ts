import { readFileSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { parse } from 'yaml';
import { ANNOTATION_PLACEMENT, FINALIZER_MACHINE, FINALIZER_NODEPOOL, LABEL_POOL, LABEL_PROVIDER, LABEL_SLOT, parseResource, type Kind, type ResourceOf } from '../../api/index.js';
import { findCondition } from '../shared/index.js';
import { manifest, nodePoolFixture, NS, type NodePoolFixture } from './fixture.js';
import { nodePoolController } from './registration.js';
import { UNREADABLE_ACCOUNT_RETRY_MS } from './controller.js';

const STRATEGY = { pick: 'cheapest', providers: [{ name: 'sim-a', type: 'sim', regions: ['na-east'] }] };

let fx: NodePoolFixture;
beforeEach(async () => {
  fx = await nodePoolFixture();
});
afterEach(async () => {
  await fx.close();
});

describe('NodePool controller: scale', () => {
  it('creates the desired Machines once, labelled, annotated and owned, and reports them', async () => {
    await fx.store.create(manifest('Strategy', 'cheap', STRATEGY));
    await fx.store.create(manifest('NodePool', 'workers', { replicas: 3, strategyRef: { name: 'cheap' }, template: { labels: { role: 'worker' } } }));
    await fx.reconcile();
    await fx.reconcile();
    const pool = await fx.pool();
    const machines = await fx.machines();
    expect(pool.metadata.finalizers).toEqual([FINALIZER_NODEPOOL]);
    expect(machines.map((m) => [m.metadata.name, m.spec.slot])).toEqual([['workers-m0000', 0], ['workers-m0001', 1], ['workers-m0002', 2]]);
    const [m0] = machines;
    expect(m0?.metadata.labels).toEqual({ role: 'worker', [LABEL_POOL]: 'workers', [LABEL_SLOT]: '0', [LABEL_PROVIDER]: 'sim-a' });
    expect(m0?.metadata.annotations?.[ANNOTATION_PLACEMENT]).toMatch(/^slot 0: no PlacementRule; picked sim\.micro at \$0\.\d+\/h by cheapest among \d+ usable offerings$/);
    expect(m0?.metadata.ownerReferences).toEqual([expect.objectContaining({ kind: 'NodePool', name: 'workers', uid: pool.metadata.uid, controller: true })]);
    // From its first write: no instance can exist that a deletion would skip, with one write, not two.
    expect(m0?.metadata.finalizers).toEqual([FINALIZER_MACHINE]);
    expect(m0?.spec).toMatchObject({ pool: 'workers', provider: 'sim-a', providerType: 'sim', region: 'na-east', instanceType: 'sim.micro', image: expect.any(String) });
    expect(pool.status).toMatchObject({ replicas: 3, readyReplicas: 0, desiredReplicas: 3, selector: 'polyfleet.io/pool=workers', hourlyCost: '0.00' });
    expect(fx.events.map((e) => [e.type, e.reason, e.message])).toEqual([['Normal', 'ScalingUp', 'created 3 Machines (slots 0-2)']]);
  });

  it('is Ready once every Machine runs, and then writes nothing more', async () => {
    await fx.store.create(manifest('Strategy', 'cheap', STRATEGY));
    await fx.store.create(manifest('NodePool', 'workers', { replicas: 2, strategyRef: { name: 'cheap' } }));
    await fx.reconcile();
    for (const m of await fx.machines()) await fx.markRunning(m, '0.25');
    await fx.reconcile();
    const pool = await fx.pool();
    expect(findCondition(pool.status?.conditions, 'Ready')).toMatchObject({ status: 'True', reason: 'AllReady', message: '2/2 Machines Running' });
    expect(findCondition(pool.status?.conditions, 'Progressing')).toMatchObject({ status: 'False', reason: 'Stable' });
    expect(pool.status?.hourlyCost).toBe('0.50');
    const domains = pool.status?.domains ?? [];
    expect(domains.reduce((n, d) => n + d.replicas, 0)).toBe(2);
    expect(domains.reduce((n, d) => n + d.readyReplicas, 0)).toBe(2);
    expect(domains.every((d) => d.domain.startsWith('sim-a/na-east/'))).toBe(true);
    await fx.reconcile();
    expect((await fx.pool()).metadata.resourceVersion).toBe(pool.metadata.resourceVersion);
  });

  it('scales down from the highest slot', async () => {
    await fx.store.create(manifest('Strategy', 'cheap', STRATEGY));
    await fx.store.create(manifest('NodePool', 'workers', { replicas: 4, strategyRef: { name: 'cheap' } }));
    await fx.reconcile();
    const pool = await fx.pool();
    await fx.store.update({ ...pool, kind: 'NodePool', spec: { ...pool.spec, replicas: 1 } });
    await fx.reconcile();
    const machines = await fx.machines();
    expect(machines.filter((m) => m.metadata.deletionTimestamp === undefined).map((m) => m.spec.slot)).toEqual([0]);
    // Their finalizers keep them until the Machine controller has terminated the instances.
    expect(machines.filter((m) => m.metadata.deletionTimestamp !== undefined).map((m) => m.spec.slot)).toEqual([1, 2, 3]);
    expect(fx.events.at(-1)).toMatchObject({ type: 'Normal', reason: 'ScalingDown', message: 'deleted 3 Machines (slots 1-3)' });
  });

  it('after a crash halfway through a scale-up, fills each slot exactly once', async () => {
    await fx.store.create(manifest('Strategy', 'cheap', STRATEGY));
    await fx.store.create(manifest('NodePool', 'workers', { replicas: 5, strategyRef: { name: 'cheap' } }));
    let creates = 0;
    const create = <K extends Kind>(object: ResourceOf<K> & { kind: K }): Promise<ResourceOf<K>> =>
      ++creates === 3 ? Promise.reject(new Error('killed')) : fx.store.create<K>(object);
    const store = new Proxy(fx.store, { get: (target, prop): unknown => (prop === 'create' ? create : Reflect.get(target, prop)) });
    const dying = nodePoolController({ ...fx.deps, store });
    await expect(dying.reconcile(fx.ctx, { namespace: NS, name: 'workers' })).rejects.toThrow('killed');
    expect(await fx.machines()).toHaveLength(2);
    expect(fx.events.map((e) => e.reason)).toEqual(['ScalingFailed', 'ScalingUp']);
    await fx.reconcile();
    expect((await fx.machines()).map((m) => m.spec.slot)).toEqual([0, 1, 2, 3, 4]);
  });

  it('tries one write, not one per slot, when every create fails (slow start)', async () => {
    await fx.store.create(manifest('Strategy', 'cheap', STRATEGY));
    await fx.store.create(manifest('NodePool', 'workers', { replicas: 50, strategyRef: { name: 'cheap' } }));
    let creates = 0;
    const create = (): Promise<never> => {
      creates++;
      return Promise.reject(new Error('quota exceeded'));
    };
    const store = new Proxy(fx.store, { get: (target, prop): unknown => (prop === 'create' ? create : Reflect.get(target, prop)) });
    await expect(nodePoolController({ ...fx.deps, store }).reconcile(fx.ctx, { namespace: NS, name: 'workers' })).rejects.toThrow('quota exceeded');
    expect(creates).toBe(1);
    expect(fx.events).toMatchObject([{ reason: 'ScalingFailed', message: 'creating the Machine of slot 0 failed: quota exceeded' }]);
  });

  it('writes no Machine once its reconcile is aborted (leadership lost, shutdown)', async () => {
    await fx.store.create(manifest('Strategy', 'cheap', STRATEGY));
    await fx.store.create(manifest('NodePool', 'workers', { replicas: 3, strategyRef: { name: 'cheap' } }));
    const aborted = new AbortController();
    aborted.abort(new Error('lost leadership'));
    await expect(fx.controller.reconcile({ ...fx.ctx, signal: aborted.signal }, { namespace: NS, name: 'workers' })).rejects.toThrow('lost leadership');
    expect(await fx.machines()).toEqual([]);
    expect(fx.events).toEqual([]);
  });
});

describe('NodePool controller: references', () => {
  it.each([
    { ref: 'Strategy' as const, reason: 'StrategyNotFound', watch: 0 },
    { ref: 'PlacementRule' as const, reason: 'PlacementRuleNotFound', watch: 1 },
  ])('a missing $ref is a condition, and its creation wakes the pool', async ({ ref, reason, watch }) => {
    if (ref !== 'Strategy') await fx.store.create(manifest('Strategy', 'cheap', STRATEGY));
    await fx.store.create(manifest('NodePool', 'workers', { replicas: 1, strategyRef: { name: 'cheap' }, placementRuleRef: { name: 'spread' } }));
    await fx.reconcile();
    const ready = findCondition((await fx.pool()).status?.conditions, 'Ready');
    expect(ready).toMatchObject({ status: 'False', reason });
    expect(ready?.message).toContain('does not exist');
    expect(fx.events).toEqual([expect.objectContaining({ type: 'Warning', reason })]);
    expect(await fx.machines()).toEqual([]);

    if (ref === 'Strategy') await fx.store.create(manifest('PlacementRule', 'spread', {}));
    const stored = ref === 'Strategy' ? await fx.store.create(manifest('Strategy', 'cheap', STRATEGY)) : await fx.store.create(manifest('PlacementRule', 'spread', {}));
    const mapped = await fx.controller.watches?.[watch]?.map(stored);
    expect(mapped).toEqual([{ namespace: NS, name: 'workers' }]);
    await fx.reconcile();
    expect(await fx.machines()).toHaveLength(1);
    expect(findCondition((await fx.pool()).status?.conditions, 'InvalidSpec')).toMatchObject({ status: 'False' });
  });

  it('an unsupported failure-domain level is InvalidSpec', async () => {
    await fx.store.create(manifest('Strategy', 'cheap', STRATEGY));
    await fx.store.create(manifest('PlacementRule', 'spread', { failureDomains: ['provider', 'rack'] }));
    await fx.store.create(manifest('NodePool', 'workers', { replicas: 1, strategyRef: { name: 'cheap' }, placementRuleRef: { name: 'spread' } }));
    await fx.reconcile();
    const invalid = findCondition((await fx.pool()).status?.conditions, 'InvalidSpec');
    expect(invalid).toMatchObject({ status: 'True', reason: 'UnsupportedLevel' });
    expect(invalid?.message).toContain('"rack"');
  });
});

describe('NodePool controller: modes', () => {
  it('paused keeps status and changes no Machine', async () => {
    await fx.store.create(manifest('Strategy', 'cheap', STRATEGY));
    await fx.store.create(manifest('NodePool', 'workers', { replicas: 2, strategyRef: { name: 'cheap' }, paused: true }));
    await fx.reconcile();
    const pool = await fx.pool();
    expect(await fx.machines()).toEqual([]);
    expect(pool.status?.desiredReplicas).toBe(2);
    expect(findCondition(pool.status?.conditions, 'Progressing')).toMatchObject({ status: 'False', reason: 'Paused' });
  });

  it('dryRun fills status.plan and creates nothing', async () => {
    await fx.store.create(manifest('Strategy', 'cheap', STRATEGY));
    await fx.store.create(manifest('NodePool', 'workers', { replicas: 2, strategyRef: { name: 'cheap' }, dryRun: true }));
    await fx.reconcile();
    const pool = await fx.pool();
    expect(await fx.machines()).toEqual([]);
    expect(pool.status?.plan).toEqual([0, 1].map((slot) => expect.objectContaining({ slot, provider: 'sim-a', region: 'na-east', instanceType: 'sim.micro', capacityType: 'on-demand', hourlyPrice: expect.any(String), explanation: expect.stringContaining('picked sim.micro') })));
    expect(findCondition(pool.status?.conditions, 'Ready')).toMatchObject({ status: 'False', reason: 'DryRun' });
    // Each domain's share is the planned slots there, though no Machine exists yet.
    const shares = (pool.status?.domains ?? []).map((d) => [d.replicas, d.desiredReplicas ?? 0]);
    expect(shares.reduce((n, [, share]) => n + (share ?? 0), 0)).toBe(2);
    expect(shares.every(([machines]) => machines === 0)).toBe(true);
  });

  it('stops at maxHourlyTotal with BudgetExceeded', async () => {
    await fx.store.create(manifest('Strategy', 'cheap', { ...STRATEGY, budget: { maxHourlyTotal: '0.02' } }));
    await fx.store.create(manifest('NodePool', 'workers', { replicas: 5, strategyRef: { name: 'cheap' } }));
    await fx.reconcile();
    const machines = await fx.machines();
    const price = machines[0]?.metadata.annotations?.['polyfleet.io/hourly-price'] ?? '';
    expect(machines).toHaveLength(Math.floor(0.02 / Number(price)));
    const exceeded = findCondition((await fx.pool()).status?.conditions, 'BudgetExceeded');
    expect(exceeded).toMatchObject({ status: 'True', reason: 'BudgetExceeded' });
    expect(exceeded?.message).toMatch(/^maxHourlyTotal \$0\.02: /);
  });

  it("says a budget was judged on stale prices while the Strategy's PricesStale is True", async () => {
    const strategy = await fx.store.create(manifest('Strategy', 'cheap', { ...STRATEGY, budget: { maxHourlyTotal: '0.02' } }));
    const stale = 'sim-a: 3 offerings priced from the table shipped on 2026-11-22 (its pricing API has not answered)';
    await fx.store.updateStatus({ ...strategy, status: { conditions: [{ type: 'PricesStale', status: 'True', reason: 'TablePrices', message: stale, lastTransitionTime: '2026-01-01T00:00:00Z' }] } });
    await fx.store.create(manifest('NodePool', 'workers', { replicas: 5, strategyRef: { name: 'cheap' } }));
    await fx.reconcile();
    const exceeded = findCondition((await fx.pool()).status?.conditions, 'BudgetExceeded');
    expect(exceeded).toMatchObject({ status: 'True', reason: 'BudgetExceeded' });
    expect(exceeded?.message).toMatch(/^maxHourlyTotal \$0\.02: .*; judged on stale prices \(sim-a: 3 offerings priced from the table shipped on 2026-11-22 \(its pricing API has not answered\)\)$/);
  });

  it('replaces a Failed Machine around the offering its create marked out', async () => {
    await fx.store.create(manifest('Strategy', 'cheap', STRATEGY));
    await fx.store.create(manifest('NodePool', 'workers', { replicas: 1, strategyRef: { name: 'cheap' } }));
    await fx.reconcile();
    const [failed] = await fx.machines();
    if (failed === undefined) throw new Error('no Machine');
    const { provider, region, zone, instanceType } = failed.spec;
    fx.deps.backoff.markOut(`${provider}/${region}/${zone}/${instanceType}`, 'capacity');
    await fx.store.updateStatus({ ...failed, kind: 'Machine', status: { phase: 'Failed', failureReason: 'InsufficientCapacity' } });
    await fx.reconcile();
    const [replacement, ...others] = (await fx.machines()).filter((m) => m.metadata.deletionTimestamp === undefined);
    expect(others).toEqual([]);
    expect(replacement?.metadata.name).not.toBe(failed.metadata.name);
    expect(replacement?.spec.slot).toBe(0);
    expect(`${replacement?.spec.zone ?? ''}/${replacement?.spec.instanceType ?? ''}`).not.toBe(`${zone}/${instanceType}`);
    expect(fx.events.map((e) => e.reason)).toEqual(['ScalingUp', 'Replacing', 'ScalingUp']);
  });

  it('names an unreadable account when no slot can be placed, and looks again soon', async () => {
    await fx.store.create(manifest('Strategy', 'cheap', { pick: 'first', providers: [{ name: 'aws-east', type: 'aws' }] }));
    await fx.store.create(manifest('NodePool', 'workers', { replicas: 1, strategyRef: { name: 'cheap' } }));
    expect(await fx.reconcile()).toEqual({ requeueAfterMs: UNREADABLE_ACCOUNT_RETRY_MS });
    const degraded = findCondition((await fx.pool()).status?.conditions, 'Degraded');
    expect(degraded).toMatchObject({ status: 'True', reason: 'Unplaceable' });
    expect(degraded?.message).toContain('unreadable accounts: ');
    expect(degraded?.message).toContain('aws-east');
    expect(fx.events).toEqual([expect.objectContaining({ type: 'Warning', reason: 'Unplaceable' })]);
  });

  it('places around an account marked out and looks again when the mark expires', async () => {
    await fx.store.create(manifest('Strategy', 'cheap', STRATEGY));
    await fx.store.create(manifest('NodePool', 'workers', { replicas: 1, strategyRef: { name: 'cheap' } }));
    fx.deps.backoff.markOut('sim-a', 'quota');
    const result = await fx.reconcile();
    expect(result).toEqual({ requeueAfterMs: 60_000 });
    expect(findCondition((await fx.pool()).status?.conditions, 'Degraded')).toMatchObject({ status: 'True', reason: 'Unplaceable' });
    fx.clock.advance(60_001);
    expect(await fx.reconcile()).toEqual({});
    expect(await fx.machines()).toHaveLength(1);
  });
});

describe('NodePool controller: placement and deletion', () => {
  it('spreads every group of 3 over 3 accounts', async () => {
    const providers = ['sim-a', 'sim-b', 'sim-c'].map((name) => ({ name, type: 'sim', regions: ['na-east'] }));
    await fx.store.create(manifest('Strategy', 'cheap', { pick: 'cheapest', providers }));
    await fx.store.create(manifest('PlacementRule', 'spread', { failureDomains: ['provider', 'region', 'zone'], groupSize: 3 }));
    await fx.store.create(manifest('NodePool', 'workers', { replicas: 9, strategyRef: { name: 'cheap' }, placementRuleRef: { name: 'spread' } }));
    await fx.reconcile();
    const machines = await fx.machines();
    expect(machines).toHaveLength(9);
    for (let g = 0; g < 3; g++) expect(new Set(machines.slice(3 * g, 3 * g + 3).map((m) => m.spec.provider)).size).toBe(3);
    expect(machines[0]?.metadata.annotations?.[ANNOTATION_PLACEMENT]).toMatch(/^slot 0 \(group 0, position 0, x=\d+\): sim-.\/na-east\/na-east-. via .*; picked sim\.micro/);
  });

  it('places the quickstart pool: 6 + 1 spare, every full group of 3 on 3 accounts', async () => {
    for (const file of ['strategy', 'placementrule', 'nodepool']) {
      const parsed = parseResource(parse(readFileSync(new URL(`../../examples/quickstart/${file}.yaml`, import.meta.url), 'utf8')));
      if (!parsed.ok) throw new Error(`examples/quickstart/${file}.yaml is invalid`);
      await fx.store.create({ ...parsed.value, metadata: { ...parsed.value.metadata, namespace: NS } });
    }
    await fx.reconcile();
    const machines = await fx.machines();
    expect(machines.map((m) => m.spec.slot)).toEqual([0, 1, 2, 3, 4, 5, 6]);
    for (const g of [0, 1]) expect(new Set(machines.slice(3 * g, 3 * g + 3).map((m) => m.spec.provider)).size).toBe(3);
    expect(findCondition((await fx.pool()).status?.conditions, 'BudgetExceeded')).toMatchObject({ status: 'False', message: 'within maxHourlyTotal $2.00' });
  });

  it('deleting the pool deletes its Machines first, then lets the pool go', async () => {
    await fx.store.create(manifest('Strategy', 'cheap', STRATEGY));
    await fx.store.create(manifest('NodePool', 'workers', { replicas: 2, strategyRef: { name: 'cheap' } }));
    await fx.reconcile();
    await fx.store.delete('NodePool', { namespace: NS, name: 'workers' });
    await fx.reconcile();
    const terminating = await fx.machines();
    expect(terminating.map((m) => m.metadata.deletionTimestamp !== undefined)).toEqual([true, true]);
    expect((await fx.pool()).metadata.finalizers).toEqual([FINALIZER_NODEPOOL]);
    for (const m of terminating) await fx.dropFinalizers(m);
    await fx.reconcile();
    expect(await fx.store.get('NodePool', { namespace: NS, name: 'workers' })).toBeUndefined();
  });
});
