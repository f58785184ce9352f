import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { Registry } from 'prom-client';
import { FINALIZER_MACHINE } from '../../api/index.js';
import { TransientError } from '../../providers/index.js';
import { MANAGED_BY, NS, gcFixture } from './fixture.js';
import type { GcFixture } from './fixture.js';
import { LEAK_COLLECTED_REASON, leakCollector } from './leak-collector.js';
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

    fx.clock.advance(minutes(10));
    await collector.reconcile(fx.ctx, key);
    expect(await liveIds('sim-a')).toEqual([ofAlive.id, ofDeleting.id].sort());
  });

  it('honours a configured grace period', async () => {
    await fx.createStrategy('cheap', ['sim-a']);
    await fx.createInstance('sim-a', 'uid-gone');
    fx.clock.advance(minutes(2));
    await leakCollector(fx.deps).reconcile(fx.ctx, key);
    expect(await liveIds('sim-a')).toHaveLength(1);
    await leakCollector(fx.deps, { graceMs: minutes(1) }).reconcile(fx.ctx, key);
    expect(await liveIds('sim-a')).toEqual([]);
  });

  it('sweeps the other accounts when one cannot be listed', async () => {
    await fx.createStrategy('cheap', ['sim-a', 'sim-b']);
    await fx.createInstance('sim-a', 'uid-gone-1');
    await fx.createInstance('sim-b', 'uid-gone-2');
    fx.clock.advance(minutes(11));
    fx.sim('sim-a').failNext('list', new TransientError('503', 'sim-a'));
    expect(await leakCollector(fx.deps).reconcile(fx.ctx, key)).toEqual({ requeueAfterMs: 60_000 });
    expect(await liveIds('sim-a')).toHaveLength(1);
    expect(await liveIds('sim-b')).toEqual([]);
  });

  it('does nothing for a Strategy that is gone', async () => {
    expect(await leakCollector(fx.deps).reconcile(fx.ctx, key)).toEqual({});
  });
});
