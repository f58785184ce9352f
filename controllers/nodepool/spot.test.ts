// Spot capacity end to end on the sim: a pool allowed spot runs on it where it is cheaper, falls back
// to on-demand when spot capacity errors, and replaces (and counts) a reclaimed spot instance.
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { Registry } from 'prom-client';
import { microsToMoney, moneyToMicros } from '../../api/index.js';
import { innermostProvider } from '../../providers/index.js';
import { SimProvider } from '../../providers/sim/index.js';
import { machineController, registerMachineMetrics } from '../machine/index.js';
import { manifest, nodePoolFixture, NS, type NodePoolFixture } from './fixture.js';

const ACCOUNT = { name: 'sim-a', type: 'sim' as const, regions: ['na-east'] };
const STRATEGY = { pick: 'cheapest', providers: [ACCOUNT], capacityTypes: ['spot', 'on-demand'], hardware: { minCPU: 2, maxCPU: 2 } };

let fx: NodePoolFixture;
let registry: Registry;
let sim: SimProvider;
beforeEach(async () => {
  fx = await nodePoolFixture();
  registry = new Registry();
  const provider = innermostProvider(await fx.deps.providers.forAccount(NS, ACCOUNT));
  if (!(provider instanceof SimProvider)) throw new Error('sim-a is not a sim account');
  sim = provider;
});
afterEach(async () => {
  await fx.close();
});

/** NodePool and Machine controllers in turn, as a running controller would, with time passing for the instances to boot. */
async function converge(rounds = 4): Promise<void> {
  const machines = machineController(fx.deps, { metrics: registerMachineMetricsOnce() });
  for (let i = 0; i < rounds; i++) {
    await fx.reconcile();
    for (const m of await fx.store.list('Machine', { namespace: NS })) await machines.reconcile(fx.ctx, { namespace: NS, name: m.metadata.name });
    fx.clock.advance(20_000);
    for (const m of await fx.store.list('Machine', { namespace: NS })) await machines.reconcile(fx.ctx, { namespace: NS, name: m.metadata.name });
  }
  await fx.reconcile();
}

let machineMetrics: ReturnType<typeof registerMachineMetrics> | undefined;
function registerMachineMetricsOnce(): ReturnType<typeof registerMachineMetrics> {
  machineMetrics ??= registerMachineMetrics(registry);
  return machineMetrics;
}
beforeEach(() => {
  machineMetrics = undefined;
});

async function interruptions(): Promise<number> {
  const metric = (await registry.getMetricsAsJSON()).find((m) => m.name === 'polyfleet_spot_interruptions_total');
  return (metric?.values ?? []).reduce((n, v) => n + v.value, 0);
}

describe('a NodePool allowed spot capacity', () => {
  it('runs on spot where it is cheaper, and its cost is what the spot instances cost', async () => {
    await fx.store.create(manifest('Strategy', 'spot-first', STRATEGY));
    await fx.store.create(manifest('NodePool', 'workers', { replicas: 2, strategyRef: { name: 'spot-first' } }));
    await converge();
    const machines = await fx.machines();
    expect(machines.map((m) => [m.spec.capacityType, m.status?.phase])).toEqual([
      ['spot', 'Running'],
      ['spot', 'Running'],
    ]);
    const spotOffering = (await sim.offerings('na-east')).find((o) => o.instanceType === machines[0]?.spec.instanceType && o.capacityType === 'spot');
    const onDemand = (await sim.offerings('na-east')).find((o) => o.instanceType === machines[0]?.spec.instanceType && o.capacityType === undefined);
    expect(Number(spotOffering?.hourlyPrice)).toBeLessThan(Number(onDemand?.hourlyPrice));
    expect(machines.map((m) => m.status?.hourlyPrice)).toEqual([spotOffering?.hourlyPrice, spotOffering?.hourlyPrice]);
    const instances = await sim.list({ managedBy: fx.deps.managedBy });
    expect(instances.map((i) => i.capacityType)).toEqual(['spot', 'spot']);
    const pool = await fx.pool();
    const spotMicros = moneyToMicros(spotOffering?.hourlyPrice ?? '0');
    expect(pool.status).toMatchObject({ hourlyCost: microsToMoney(2 * spotMicros), spotHourlyCost: microsToMoney(2 * spotMicros) });
    expect(pool.status?.spotReplicas).toBe(2);
  });

  it('completes on on-demand when spot capacity errors, backing off the spot offering only', async () => {
    sim.addFaultRule({ op: 'create', kind: 'capacity', rate: 1, capacityType: 'spot' });
    await fx.store.create(manifest('Strategy', 'spot-first', { ...STRATEGY, budget: { maxHourlyTotal: '5' } }));
    await fx.store.create(manifest('NodePool', 'workers', { replicas: 2, strategyRef: { name: 'spot-first' } }));
    await converge(6);
    const machines = await fx.machines();
    expect(machines.map((m) => [m.spec.capacityType ?? 'on-demand', m.status?.phase])).toEqual([
      ['on-demand', 'Running'],
      ['on-demand', 'Running'],
    ]);
    expect((await fx.pool()).status?.spotReplicas).toBe(0);
    expect(fx.events.some((e) => e.reason === 'InsufficientCapacity')).toBe(true);
  });

  it('replaces a reclaimed spot instance and counts the interruption', async () => {
    await fx.store.create(manifest('Strategy', 'spot-first', STRATEGY));
    await fx.store.create(manifest('NodePool', 'workers', { replicas: 1, strategyRef: { name: 'spot-first' } }));
    await converge();
    const [before, ...others] = await fx.machines();
    expect(others).toEqual([]);
    const id = before?.status?.instanceId ?? '';
    expect(await sim.kill(id, 'reclaim')).toBe(true);
    expect(await sim.get(id)).toMatchObject({ state: 'terminated', reclaimed: true, capacityType: 'spot' });

    await converge();
    const [after, ...rest] = await fx.machines();
    expect(rest).toEqual([]);
    expect(after?.metadata.name).not.toBe(before?.metadata.name);
    expect(after?.status?.phase).toBe('Running');
    expect(await interruptions()).toBe(1);
    expect(fx.events.some((e) => e.reason === 'SpotReclaimed')).toBe(true);
    // Only live instances remain: the reclaimed one is terminated, its replacement runs.
    expect((await sim.list({ managedBy: fx.deps.managedBy })).map((i) => i.id)).toEqual([after?.status?.instanceId]);
  });

  it('replaces a spot instance stopped behind its back without counting an interruption: only the cloud says what it reclaimed', async () => {
    await fx.store.create(manifest('Strategy', 'spot-first', STRATEGY));
    await fx.store.create(manifest('NodePool', 'workers', { replicas: 1, strategyRef: { name: 'spot-first' } }));
    await converge();
    const [before] = await fx.machines();
    expect(await sim.stop(before?.status?.instanceId ?? '')).toBe(true);
    await converge();
    const [after, ...rest] = await fx.machines();
    expect(rest).toEqual([]);
    expect(after?.metadata.name).not.toBe(before?.metadata.name);
    expect(await interruptions()).toBe(0);
    expect(fx.events.some((e) => e.reason === 'SpotReclaimed')).toBe(false);
    // The stopped instance bills until deleted: replacing its Machine deleted it.
    expect((await sim.list({ managedBy: fx.deps.managedBy })).map((i) => i.id)).toEqual([after?.status?.instanceId]);
  });

  it("dryRun's plan shows each planned node's capacity type and its own price", async () => {
    await fx.store.create(manifest('Strategy', 'spot-first', STRATEGY));
    await fx.store.create(manifest('NodePool', 'workers', { replicas: 2, strategyRef: { name: 'spot-first' }, dryRun: true }));
    await fx.reconcile();
    const plan = (await fx.pool()).status?.plan ?? [];
    const spot = (await sim.offerings('na-east')).find((o) => o.instanceType === plan[0]?.instanceType && o.capacityType === 'spot');
    expect(plan).toEqual([0, 1].map((slot) => expect.objectContaining({ slot, capacityType: 'spot', hourlyPrice: spot?.hourlyPrice, explanation: expect.stringContaining('(spot)') })));
    expect(await fx.machines()).toEqual([]);
  });

  it('never buys spot for a Strategy that does not allow it', async () => {
    await fx.store.create(manifest('Strategy', 'plain', { ...STRATEGY, capacityTypes: undefined }));
    await fx.store.create(manifest('NodePool', 'workers', { replicas: 1, strategyRef: { name: 'plain' } }));
    await converge();
    expect((await fx.machines()).map((m) => m.spec.capacityType)).toEqual([undefined]);
  });
});
