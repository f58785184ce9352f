import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { Registry } from 'prom-client';
import { FINALIZER_MACHINE } from '../../api/index.js';
import { TransientError } from '../../providers/index.js';
import type { Store } from '../../runtime/store/index.js';
import { MANAGED_BY, NS, gcFixture, instanceRequest, strategyWithRegions } from './fixture.js';
import type { GcFixture } from './fixture.js';
import { LEAK_COLLECTED_REASON, LEAK_COLLECTION_PAUSED_REASON, leakCollector } from './leak-collector.js';
import { registerLeakMetrics } from './metrics.js';

let fx: GcFixture;
beforeEach(async () => {
  fx = await gcFixture();
});
afterEach(() => fx.close());

const key = { namespace: NS, name: 'cheap' };
const minutes = (n: number) => n * 60_000;

async function liveIds(account: string, managedBy = MANAGED_BY): Promise<string[]> {
  return (await fx.sim(account).list({ managedBy })).map((i) => i.id).sort();
}

describe('leak collector', () => {
  it('deletes only old instances whose Machine is gone, in every account of the Strategy', async () => {
    await fx.createStrategy('cheap', ['sim-a', 'sim-b']);
    const alive = await fx.createMachine('alive');
    const deleting = await fx.createMachine('deleting', [FINALIZER_MACHINE]);
    await fx.store.delete('Machine', { namespace: NS, name: 'deleting' });
    const ofAlive = await fx.createInstance('sim-a', alive.metadata.uid ?? '');
    const ofDeleting = await fx.createInstance('sim-a', deleting.metadata.uid ?? '');
    const leakA = await fx.createInstance('sim-a', 'uid-gone-1');
    const leakB = await fx.createInstance('sim-b', 'uid-gone-2');
    const foreign = await fx.createInstance('sim-a', 'uid-gone-3', 'someone-else');
    fx.clock.advance(minutes(10));
    const young = await fx.createInstance('sim-a', 'uid-gone-4');
    fx.clock.advance(minutes(1));

    const registry = new Registry();
    const collector = leakCollector(fx.deps, { metrics: registerLeakMetrics(registry) });
    // The first sweep only notes what it found unclaimed; a leak is collected a grace period later.
    expect(await collector.reconcile(fx.ctx, key)).toEqual({ requeueAfterMs: 60_000 });
    expect(await liveIds('sim-b')).toEqual([leakB.id]);
    fx.clock.advance(minutes(10));
    expect(await collector.reconcile(fx.ctx, key)).toEqual({ requeueAfterMs: 60_000 });

    expect(await liveIds('sim-a')).toEqual([ofAlive.id, ofDeleting.id, young.id].sort());
    expect(await liveIds('sim-b')).toEqual([]);
    expect(await liveIds('sim-a', 'someone-else')).toEqual([foreign.id]);
    expect(fx.events.map((e) => [e.type, e.reason, e.regarding.kind, e.regarding.name])).toEqual([
      ['Warning', LEAK_COLLECTED_REASON, 'Strategy', 'cheap'],
      ['Warning', LEAK_COLLECTED_REASON, 'Strategy', 'cheap'],
    ]);
    expect(fx.events.map((e) => e.message).join('\n')).toMatch(new RegExp(`${leakA.id}[^\\n]*uid-gone-1[^]*${leakB.id}[^\\n]*uid-gone-2`));
    expect(await registry.getSingleMetricAsString('polyfleet_gc_leaked_instances_collected_total')).toContain('{provider="sim-a"} 1');

    // The young one was first seen unclaimed (and old enough) by the second sweep: collected by the third.
    fx.clock.advance(minutes(10));
    await collector.reconcile(fx.ctx, key);
    expect(await liveIds('sim-a')).toEqual([ofAlive.id, ofDeleting.id].sort());
  });

  it('honours a configured grace period, and sweeps at least once per grace', async () => {
    await fx.createStrategy('cheap', ['sim-a']);
    await fx.createInstance('sim-a', 'uid-gone');
    fx.clock.advance(minutes(2));
    const collector = leakCollector(fx.deps, { graceMs: minutes(1) });
    expect(await collector.reconcile(fx.ctx, key)).toEqual({ requeueAfterMs: minutes(1) });
    expect(await liveIds('sim-a')).toHaveLength(1);
    fx.clock.advance(minutes(1));
    await collector.reconcile(fx.ctx, key);
    expect(await liveIds('sim-a')).toEqual([]);
  });

  it('sweeps the other accounts when one cannot be listed, and counts no sighting there', async () => {
    await fx.createStrategy('cheap', ['sim-a', 'sim-b']);
    await fx.createInstance('sim-a', 'uid-gone-1');
    await fx.createInstance('sim-b', 'uid-gone-2');
    fx.clock.advance(minutes(11));
    const collector = leakCollector(fx.deps);
    fx.sim('sim-a').failNext('list', new TransientError('503', 'sim-a'));
    expect(await collector.reconcile(fx.ctx, key)).toEqual({ requeueAfterMs: 60_000 });
    fx.clock.advance(minutes(10));
    await collector.reconcile(fx.ctx, key);
    // sim-a's first successful listing was the second sweep: its leak waits another grace period.
    expect(await liveIds('sim-a')).toHaveLength(1);
    expect(await liveIds('sim-b')).toEqual([]);
    fx.clock.advance(minutes(10));
    await collector.reconcile(fx.ctx, key);
    expect(await liveIds('sim-a')).toEqual([]);
  });

  it('lists region by region: a region that cannot be listed collects nothing there, the others still do', async () => {
    await fx.store.create(strategyWithRegions(['na-east', 'eu-central']));
    const east = await fx.createInstance('sim-a', 'uid-gone-1');
    const eu = await fx.sim('sim-a').create({ ...instanceRequest('uid-gone-2'), region: 'eu-central', zone: 'eu-central-a', image: 'sim-img-ubuntu-24.04-eu-central' });
    fx.clock.advance(minutes(11));
    const collector = leakCollector(fx.deps);
    await collector.reconcile(fx.ctx, key);
    fx.clock.advance(minutes(10));
    // Regions are listed in name order: eu-central first, and this sweep its listing fails.
    fx.sim('sim-a').failNext('list', new TransientError('503', 'sim-a'));
    await collector.reconcile(fx.ctx, key);
    expect(await liveIds('sim-a')).toEqual([eu.id]);
    expect(east.region).toBe('na-east');
  });

  it('lists a region a Machine is in even when the Strategy no longer names it', async () => {
    await fx.store.create(strategyWithRegions(['na-east']));
    const machine = await fx.createMachine('moved');
    await fx.store.update({ ...machine, kind: 'Machine', spec: { ...machine.spec, region: 'eu-central', zone: 'eu-central-a' } });
    const orphan = await fx.sim('sim-a').create({ ...instanceRequest('uid-gone'), region: 'eu-central', zone: 'eu-central-a', image: 'sim-img-ubuntu-24.04-eu-central' });
    fx.clock.advance(minutes(11));
    const collector = leakCollector(fx.deps);
    await collector.reconcile(fx.ctx, key);
    fx.clock.advance(minutes(10));
    await collector.reconcile(fx.ctx, key);
    expect((await fx.sim('sim-a').get(orphan.id))?.state).toBe('terminated');
  });

  it('collects a stopped leak: it still bills', async () => {
    await fx.createStrategy('cheap', ['sim-a']);
    const leak = await fx.createInstance('sim-a', 'uid-gone');
    await fx.sim('sim-a').stop(leak.id);
    fx.clock.advance(minutes(11));
    const collector = leakCollector(fx.deps);
    await collector.reconcile(fx.ctx, key);
    fx.clock.advance(minutes(10));
    await collector.reconcile(fx.ctx, key);
    expect(await liveIds('sim-a')).toEqual([]);
  });

  it('never collects an instance under the pre-identity default tag: any installation of that era may own it', async () => {
    await fx.createStrategy('cheap', ['sim-a']);
    const legacy = await fx.createInstance('sim-a', 'uid-gone', 'polyfleet');
    fx.clock.advance(minutes(11));
    const collector = leakCollector(fx.deps);
    for (let i = 0; i < 3; i++) {
      await collector.reconcile(fx.ctx, key);
      fx.clock.advance(minutes(10));
    }
    expect(await liveIds('sim-a', 'polyfleet')).toEqual([legacy.id]);
  });

  it('stands down while a Machine of the namespace cannot be read, and says so', async () => {
    await fx.createStrategy('cheap', ['sim-a']);
    await fx.createInstance('sim-a', 'uid-of-an-unreadable-machine');
    fx.clock.advance(minutes(11));
    const unreadable: Store = Object.assign(Object.create(fx.store) as Store, {
      unreadable: () => [{ namespace: NS, name: 'from-a-newer-version', problem: 'spec.replicas: expected integer' }],
    });
    const registry = new Registry();
    const collector = leakCollector({ ...fx.deps, store: unreadable }, { metrics: registerLeakMetrics(registry) });
    for (let i = 0; i < 3; i++) {
      expect(await collector.reconcile(fx.ctx, key)).toEqual({ requeueAfterMs: 60_000 });
      fx.clock.advance(minutes(10));
    }
    expect(await liveIds('sim-a')).toHaveLength(1);
    expect(fx.events.at(-1)).toMatchObject({ type: 'Warning', reason: LEAK_COLLECTION_PAUSED_REASON, message: expect.stringContaining('from-a-newer-version') });
    expect(await registry.getSingleMetricAsString('polyfleet_gc_standing_down')).toContain('{namespace="default"} 1');
  });

  it('does nothing for a Strategy that is gone', async () => {
    expect(await leakCollector(fx.deps).reconcile(fx.ctx, key)).toEqual({});
  });
});
