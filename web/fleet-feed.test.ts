import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import type { NodePool } from '../api/index.js';
import { eventually } from '../runtime/testing/async.js';
import { MemoryStore } from '../runtime/testing/memory-store.js';
import { testNodePool, testStrategy } from '../runtime/testing/objects.js';
import { FleetFeed, type Batch } from './fleet-feed.js';

describe('the fleet feed: what the pool page needs beyond counts', () => {
  let store: MemoryStore;
  let feed: FleetFeed;
  let clock: number;
  const batches: Batch[] = [];

  beforeEach(async () => {
    store = new MemoryStore();
    clock = Date.parse('2026-01-01T10:00:00Z');
    batches.length = 0;
    await store.create({ ...testStrategy('default', 's'), spec: { ...testStrategy('default', 's').spec, hardware: { minCPU: 512, minMemoryGiB: 0, minDiskGiB: 0 } } });
    await store.create(testNodePool('default', 'workers', 's'));
    feed = new FleetFeed({ store, batchMs: 10, now: () => new Date(clock) });
    feed.subscribe((b) => batches.push(b));
    await feed.ready;
  });

  afterEach(() => {
    feed.close();
  });

  async function setStatus(status: NonNullable<NodePool['status']>): Promise<void> {
    const pool = await store.get('NodePool', { namespace: 'default', name: 'workers' });
    if (pool === undefined) throw new Error('no pool');
    await store.updateStatus({ ...pool, kind: 'NodePool', status });
  }

  it('keeps each pool\'s cost over time from when it began watching: a changed cost is a new point, an unchanged one is not', async () => {
    expect(feed.snapshot().costs).toEqual([{ key: 'default/workers', points: [{ at: '2026-01-01T10:00:00.000Z', hourlyCost: '0' }] }]);
    clock += 60_000;
    await setStatus({ hourlyCost: '0.25', readyReplicas: 1 });
    clock += 60_000;
    await setStatus({ hourlyCost: '0.25', readyReplicas: 2 });
    await eventually(() => batches.flatMap((b) => b.changes).filter((c) => c.kind === 'pool').length === 2, 'both pool changes');
    const costs = batches.flatMap((b) => b.changes).filter((c) => c.kind === 'cost');
    expect(costs).toEqual([{ kind: 'cost', op: 'append', key: 'default/workers', value: { at: '2026-01-01T10:01:00.000Z', hourlyCost: '0.25' } }]);
    expect(feed.snapshot().costs[0]?.points.map((p) => p.hourlyCost)).toEqual(['0', '0.25']);
    await store.delete('NodePool', { namespace: 'default', name: 'workers' });
    await eventually(() => feed.snapshot().pools.length === 0, 'the pool gone');
    expect(feed.snapshot().costs).toEqual([]);
  });

  it('shows a dry run\'s plan and each domain against its share; a pool that is no dry run carries no plan', async () => {
    const plan = [{ slot: 0, domain: 'sim-a/na-east/na-east-a', provider: 'sim-a', region: 'na-east', zone: 'na-east-a', instanceType: 'sim.small', hourlyPrice: '0.03', explanation: 'slot 0: picked sim.small' }];
    const domains = [{ domain: 'sim-a/na-east/na-east-a', replicas: 0, readyReplicas: 0, desiredReplicas: 1 }];
    await setStatus({ plan, domains });
    await eventually(() => feed.snapshot().pools[0]?.domains.length === 1, 'the domains');
    expect(feed.snapshot().pools[0]?.plan).toBeUndefined();
    const pool = await store.get('NodePool', { namespace: 'default', name: 'workers' });
    if (pool === undefined) throw new Error('no pool');
    await store.update({ ...pool, kind: 'NodePool', spec: { ...pool.spec, dryRun: true } });
    await eventually(() => feed.snapshot().pools[0]?.plan !== undefined, 'the plan');
    expect(feed.snapshot().pools[0]).toMatchObject({ dryRun: true, plan, domains });
  });

  it('says which of the Strategy\'s filters left nothing, with what each asks', async () => {
    const strategy = await store.get('Strategy', { namespace: 'default', name: 's' });
    if (strategy === undefined) throw new Error('no strategy');
    await store.updateStatus({ ...strategy, kind: 'Strategy', status: { offeringCount: 0, funnel: { accounts: 1, regions: 3, catalogue: 39, hardware: 0, software: 0, budget: 0 } } });
    await eventually(() => feed.snapshot().strategies[0]?.funnel !== undefined, 'the funnel');
    const funnel = feed.snapshot().strategies[0]?.funnel;
    expect(funnel?.emptiedBy).toBe('hardware');
    expect(funnel?.stages.map((s) => `${s.filter} ${s.kept}: ${s.asks}`)).toEqual([
      'accounts 1: provider accounts whose catalogue could be read, of 1',
      "regions 3: the accounts' regions",
      'catalogue 39: offerings (instance type in a zone) those regions have',
      'hardware 0: ≥ 512 vCPU',
      'software 0: an image for ubuntu-24.04',
    ]);
  });
});
