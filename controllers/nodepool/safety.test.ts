// A pool on a real fleet: its Strategy pruned and re-created by GitOps, a region or an account
// removed on purpose, many Machines failing at once, an offering whose instances die at boot. The
// NodePool and Machine controllers run together over the sim on a fake clock.
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { ConditionType, Reason, type Machine } from '../../api/index.js';
import { innermostProvider, type Instance } from '../../providers/index.js';
import { SimProvider } from '../../providers/sim/index.js';
import { machineController } from '../machine/index.js';
import { findCondition } from '../shared/index.js';
import type { Store } from '../../runtime/store/index.js';
import { manifest, nodePoolFixture, NS, type NodePoolFixture } from './fixture.js';
import { nodePoolController } from './registration.js';

type SimAccount = { readonly name: string; readonly type: 'sim'; readonly regions: readonly string[] };
const SIM_A: SimAccount = { name: 'sim-a', type: 'sim', regions: ['na-east', 'eu-central'] };
const SIM_B: SimAccount = { name: 'sim-b', type: 'sim', regions: ['na-east'] };
const ACCOUNTS = [SIM_A, SIM_B];
const strategySpec = (providers: readonly object[]) => ({ pick: 'cheapest', providers });

let fx: NodePoolFixture;
beforeEach(async () => {
  fx = await nodePoolFixture();
});
afterEach(async () => {
  await fx.close();
});

async function sim(account: SimAccount): Promise<SimProvider> {
  const provider = innermostProvider(await fx.deps.providers.forAccount(NS, { ...account, regions: [...account.regions] }));
  if (!(provider instanceof SimProvider)) throw new Error(`${account.name} is not a sim account`);
  return provider;
}

/** Every instance of both accounts, terminated ones included, as the sim dir holds them. */
async function everyInstance(): Promise<Instance[]> {
  const all: Instance[] = [];
  for (const account of ACCOUNTS) all.push(...(await (await sim(account)).list({ managedBy: fx.deps.managedBy })));
  return all;
}

/** One round of the world: the pool, then each Machine, then `stepMs` of time. */
async function round(stepMs = 2_000): Promise<void> {
  const machines = machineController(fx.deps);
  await fx.reconcile();
  for (const m of await fx.store.list('Machine', { namespace: NS })) await machines.reconcile(fx.ctx, { namespace: NS, name: m.metadata.name });
  fx.clock.advance(stepMs);
}

async function liveMachines(): Promise<Machine[]> {
  return (await fx.machines()).filter((m) => m.metadata.deletionTimestamp === undefined);
}

async function runningPool(replicas: number, extra: Record<string, unknown> = {}): Promise<Instance[]> {
  await fx.store.create(manifest('Strategy', 'cheap', strategySpec(ACCOUNTS)));
  await fx.store.create(manifest('NodePool', 'workers', { replicas, strategyRef: { name: 'cheap' }, ...extra }));
  for (let i = 0; i < 6; i++) await round();
  const machines = await liveMachines();
  expect(machines.map((m) => m.status?.phase)).toEqual(Array.from({ length: replicas }, () => 'Running'));
  return everyInstance();
}

describe('a missing Strategy never replaces a fleet', () => {
  it('deleting and re-creating the Strategy under a Running 10-node pool terminates nothing and creates nothing', async () => {
    const before = await runningPool(10);
    expect(before).toHaveLength(10);
    await fx.store.delete('Strategy', { namespace: NS, name: 'cheap' });
    for (let i = 0; i < 20; i++) await round(5_000);
    const waiting = await liveMachines();
    expect(waiting.map((m) => m.status?.phase)).toEqual(Array.from({ length: 10 }, () => 'Running'));
    expect(findCondition(waiting[0]?.status?.conditions, ConditionType.ProviderAccountFound)).toMatchObject({ status: 'False', reason: Reason.StrategyNotFound });
    expect(findCondition((await fx.pool()).status?.conditions, ConditionType.Ready)?.reason).toBe(Reason.StrategyNotFound);

    await fx.store.create(manifest('Strategy', 'cheap', strategySpec(ACCOUNTS)));
    for (let i = 0; i < 5; i++) await round();
    const after = await everyInstance();
    expect(after.map((i) => [i.id, i.state]).sort()).toEqual(before.map((i) => [i.id, 'running']).sort());
    expect((await liveMachines()).every((m) => findCondition(m.status?.conditions, ConditionType.ProviderAccountFound)?.status === 'True')).toBe(true);
  });
});

describe('removing a region or an account drains it, paced by maxUnavailable', () => {
  it('a region removed from an account: its Machines move elsewhere one at a time, and nothing is left there', async () => {
    await fx.store.create(manifest('PlacementRule', 'spread', { failureDomains: ['region', 'zone'], groupSize: 1 }));
    await runningPool(8, { disruption: { maxUnavailable: 1 }, placementRuleRef: { name: 'spread' } });
    const inEu = (await liveMachines()).filter((m) => m.spec.region === 'eu-central');
    expect(inEu.length).toBeGreaterThan(1);
    const strategy = await fx.store.get('Strategy', { namespace: NS, name: 'cheap' });
    if (strategy === undefined) throw new Error('no Strategy');
    strategy.spec.providers = strategy.spec.providers.map((p) => (p.name === 'sim-a' ? { ...p, regions: ['na-east'] } : p));
    await fx.store.update({ ...strategy, kind: 'Strategy' });
    let mostUnavailable = 0;
    for (let i = 0; i < 60; i++) {
      await round();
      const live = await liveMachines();
      const serving = live.filter((m) => m.status?.phase === 'Running').length;
      mostUnavailable = Math.max(mostUnavailable, 8 - serving);
    }
    const live = await liveMachines();
    expect(live.map((m) => m.status?.phase)).toEqual(Array.from({ length: 8 }, () => 'Running'));
    expect(live.filter((m) => m.spec.region === 'eu-central')).toEqual([]);
    expect(mostUnavailable).toBeLessThanOrEqual(1);
    expect((await everyInstance()).filter((i) => i.region === 'eu-central' && i.state !== 'terminated')).toEqual([]);
  });

  it('an account removed: its Machines move to the others, and its instances are terminated through the Machines\' own record of it', async () => {
    await runningPool(6, { disruption: { maxUnavailable: 2 } });
    expect((await liveMachines()).some((m) => m.spec.provider === 'sim-b')).toBe(true);
    const strategy = await fx.store.get('Strategy', { namespace: NS, name: 'cheap' });
    if (strategy === undefined) throw new Error('no Strategy');
    await fx.store.update({ ...strategy, kind: 'Strategy', spec: { ...strategy.spec, providers: strategy.spec.providers.filter((p) => p.name !== 'sim-b') } });
    let mostUnavailable = 0;
    for (let i = 0; i < 40; i++) {
      await round();
      mostUnavailable = Math.max(mostUnavailable, 6 - (await liveMachines()).filter((m) => m.status?.phase === 'Running').length);
    }
    const live = await liveMachines();
    expect(live.map((m) => [m.spec.provider, m.status?.phase])).toEqual(Array.from({ length: 6 }, () => ['sim-a', 'Running']));
    expect(mostUnavailable).toBeLessThanOrEqual(2);
    expect((await (await sim(SIM_B)).list({ managedBy: fx.deps.managedBy })).filter((i) => i.state !== 'terminated')).toEqual([]);
    expect(await fx.store.list('Machine', { namespace: NS })).toHaveLength(6);
  });
});

describe('remediation limits', () => {
  it('6 of 10 Machines killed at once: 4 are replaced, then RemediationPaused until the window passes', async () => {
    await runningPool(10, { remediation: { maxUnhealthy: '40%', windowSeconds: 600 } });
    const victims = (await liveMachines()).slice(0, 6);
    for (const m of victims) {
      const account = m.spec.provider === 'sim-b' ? SIM_B : SIM_A;
      await (await sim(account)).kill(m.status?.instanceId ?? '', 'fail');
    }
    // Long after boot: these deaths do not back their offerings off.
    fx.clock.advance(20 * 60_000);
    for (let i = 0; i < 10; i++) await round();
    const live = await liveMachines();
    const victimNames = new Set(victims.map((m) => m.metadata.name));
    expect(live.filter((m) => victimNames.has(m.metadata.name)).map((m) => m.status?.phase)).toEqual(['Failed', 'Failed']);
    expect(live.filter((m) => m.status?.phase === 'Running')).toHaveLength(8);
    const pool = await fx.pool();
    expect(pool.status?.recentReplacements).toHaveLength(4);
    expect(findCondition(pool.status?.conditions, ConditionType.RemediationPaused)).toMatchObject({ status: 'True', reason: Reason.TooManyFailed });
    expect(fx.events.filter((e) => e.reason === Reason.TooManyFailed).length).toBeGreaterThan(0);

    fx.clock.advance(600_000);
    for (let i = 0; i < 6; i++) await round();
    const healed = await liveMachines();
    expect(healed.map((m) => m.status?.phase)).toEqual(Array.from({ length: 10 }, () => 'Running'));
    expect(findCondition((await fx.pool()).status?.conditions, ConditionType.RemediationPaused)?.status).toBe('False');
  });

  it('an offering whose instances die 5 s after boot is backed off: the pool converges elsewhere with bounded creates', async () => {
    const dying = await sim(SIM_A);
    await fx.store.create(manifest('Strategy', 'cheap', strategySpec(ACCOUNTS)));
    // Find the cheapest offering the pool picks first, then make every instance of it die at boot.
    await fx.store.create(manifest('NodePool', 'workers', { replicas: 4, strategyRef: { name: 'cheap' }, remediation: { maxUnhealthy: '100%', windowSeconds: 60 } }));
    await fx.reconcile();
    const [first] = await liveMachines();
    if (first === undefined) throw new Error('no Machine');
    const bad = { region: first.spec.region, zone: first.spec.zone, instanceType: first.spec.instanceType };
    const owner = first.spec.provider === 'sim-a' ? dying : await sim(SIM_B);
    owner.addFaultRule({ op: 'create', kind: 'die', rate: 1, afterMs: 5_000, ...bad });
    for (let i = 0; i < 60; i++) await round();
    const live = await liveMachines();
    expect(live.map((m) => m.status?.phase)).toEqual(['Running', 'Running', 'Running', 'Running']);
    expect(live.some((m) => m.spec.zone === bad.zone && m.spec.instanceType === bad.instanceType && m.spec.provider === first.spec.provider)).toBe(false);
    // Every dead Machine marks its offering out for a doubling period: a handful of creates, not one per round.
    expect((await everyInstance()).length).toBeLessThanOrEqual(4 + 4);
  });
});

describe('a Machine this version cannot read', () => {
  it('freezes the pools of its namespace: nothing is created or deleted, and the pool says why', async () => {
    await fx.store.create(manifest('Strategy', 'cheap', strategySpec(ACCOUNTS)));
    await fx.store.create(manifest('NodePool', 'workers', { replicas: 2, strategyRef: { name: 'cheap' } }));
    const unreadable: Store = Object.assign(Object.create(fx.store) as Store, {
      unreadable: () => [{ namespace: NS, name: 'from-a-newer-version', problem: 'status.instanceId: expected string' }],
    });
    const frozen = nodePoolController({ ...fx.deps, store: unreadable }, { suffix: () => 'x' });
    await frozen.reconcile(fx.ctx, { namespace: NS, name: 'workers' });
    expect(await fx.machines()).toEqual([]);
    const ready = findCondition((await fx.pool()).status?.conditions, ConditionType.Ready);
    expect(ready).toMatchObject({ status: 'False', reason: Reason.MachinesUnreadable });
    expect(ready?.message).toContain('from-a-newer-version');
  });
});
