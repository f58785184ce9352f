// The NodePool and Machine controllers together on one fixture: a capacity error on the first
// choice marks that offering out, and the pool's replacement takes the next one by pick.
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { innermostProvider } from '../../providers/index.js';
import { SimProvider } from '../../providers/sim/index.js';
import { machineController } from '../machine/index.js';
import { manifest, nodePoolFixture, NS, type NodePoolFixture } from './fixture.js';

const ACCOUNT = { name: 'sim-a', type: 'sim' as const, regions: ['na-east'] };

let fx: NodePoolFixture;
beforeEach(async () => {
  fx = await nodePoolFixture();
});
afterEach(async () => {
  await fx.close();
});

describe('NodePool with the Machine controller', () => {
  it('falls back to the next offering by pick after a capacity error on the first', async () => {
    const machines = machineController(fx.deps);
    const reconcileMachines = async () => {
      for (const m of await fx.store.list('Machine', { namespace: NS })) await machines.reconcile(fx.ctx, { namespace: NS, name: m.metadata.name });
    };
    await fx.store.create(manifest('Strategy', 'cheap', { pick: 'first', providers: [ACCOUNT] }));
    await fx.store.create(manifest('NodePool', 'workers', { replicas: 1, strategyRef: { name: 'cheap' } }));
    const sim = innermostProvider(await fx.deps.providers.forAccount(NS, ACCOUNT));
    if (!(sim instanceof SimProvider)) throw new Error('sim-a is not a sim account');
    sim.failNext('create', 'capacity');

    await fx.reconcile();
    const [first] = await fx.machines();
    await reconcileMachines();
    expect((await fx.machines())[0]?.status?.phase).toBe('Failed');

    await fx.reconcile();
    await reconcileMachines();
    await fx.reconcile();
    const [second, ...rest] = await fx.machines();
    expect(rest).toEqual([]);
    expect(second?.metadata.name).not.toBe(first?.metadata.name);
    expect(second?.spec.slot).toBe(0);
    const where = (m: typeof first) => `${m?.spec.zone ?? ''}/${m?.spec.instanceType ?? ''}`;
    expect(where(second)).not.toBe(where(first));
    expect(second?.status?.phase).toBe('Provisioning');
    expect(await sim.list({ managedBy: fx.deps.managedBy })).toHaveLength(1);
  });
});
