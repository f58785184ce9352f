import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import type { ProviderErrorKind } from '../../providers/index.js';
import { findCondition } from '../shared/index.js';
import { reconcileStrategy, STRATEGY_PROBLEM_RETRY_MS, STRATEGY_RESYNC_MS } from './controller.js';
import { NS, strategyFixture } from './fixture.js';

let fx: Awaited<ReturnType<typeof strategyFixture>>;
beforeEach(async () => {
  fx = await strategyFixture();
});
afterEach(async () => {
  await fx.close();
});

const SIM_A = { name: 'sim-a', type: 'sim' };
const SIM_B = { name: 'sim-b', type: 'sim' };

describe('strategy controller', () => {
  it('writes the best 50 offerings, the count and Ready, and looks again in 10 minutes', async () => {
    await fx.apply('cheap', { pick: 'cheapest', providers: [SIM_A, SIM_B] });
    expect(await fx.reconcile('cheap')).toEqual({ requeueAfterMs: STRATEGY_RESYNC_MS });
    const s = await fx.mustGet('cheap');
    expect(s.status?.offeringCount).toBe(78);
    expect(s.status?.offerings).toHaveLength(50);
    expect(s.status?.offerings?.[0]).not.toHaveProperty('rank');
    expect(s.status?.offerings?.[0]).not.toHaveProperty('providerType');
    expect(s.status?.offerings?.[0]?.image).toMatch(/^sim-img-ubuntu-24\.04-/);
    expect(s.status?.observedGeneration).toBe(s.metadata.generation);
    expect(findCondition(s.status?.conditions, 'Ready')).toMatchObject({ status: 'True', reason: 'OfferingsResolved' });
    expect(findCondition(s.status?.conditions, 'Ready')?.message).toMatch(/^78 offerings from 2 accounts; best: sim-[ab]\/\S+ sim\.micro at 0\.\d+\/h$/);
    expect(findCondition(s.status?.conditions, 'NoOfferings')).toMatchObject({ status: 'False', reason: 'OfferingsResolved' });
    expect(findCondition(s.status?.conditions, 'PricesStale')).toMatchObject({ status: 'False', reason: 'PricesCurrent' });
    expect(fx.events).toEqual([]);
  });

  it("shows an account's own price as an override in status", async () => {
    await fx.apply('own', { pick: 'cheapest', providers: [{ ...SIM_A, prices: { 'sim.micro': '0.000001' } }] });
    await fx.reconcile('own');
    const best = (await fx.mustGet('own')).status?.offerings?.[0];
    expect(best).toMatchObject({ instanceType: 'sim.micro', hourlyPrice: '0.000001', priceSource: 'override' });
    expect(best).not.toHaveProperty('pricedAt');
  });

  it('does not write status again when nothing changed', async () => {
    await fx.apply('cheap', { providers: [SIM_A] });
    await fx.reconcile('cheap');
    const before = (await fx.mustGet('cheap')).metadata.resourceVersion;
    fx.clock.advance(STRATEGY_RESYNC_MS);
    await fx.reconcile('cheap');
    expect((await fx.mustGet('cheap')).metadata.resourceVersion).toBe(before);
  });

  it.each([
    {
      name: 'the budget',
      spec: { providers: [SIM_A], hardware: { minCPU: 4 }, budget: { maxHourlyPerNode: '0.001' } },
      message: 'no offering passes every filter: 1 account, 3 regions, 39 offerings, 23 after hardware, 23 after software ubuntu-24.04, 0 after maxHourlyPerNode 0.001',
      funnel: { accounts: 1, regions: 3, catalogue: 39, hardware: 23, software: 23, budget: 0 },
    },
    {
      name: 'the hardware',
      spec: { providers: [SIM_A], hardware: { minCPU: 64 } },
      message: 'no offering passes every filter: 1 account, 3 regions, 39 offerings, 0 after hardware',
      funnel: { accounts: 1, regions: 3, catalogue: 39, hardware: 0, software: 0, budget: 0 },
    },
    {
      name: 'the geolocation',
      spec: { providers: [SIM_A], geolocation: { continents: ['SA'] } },
      message: 'no offering passes every filter: 1 account, 0 regions after geolocation',
      funnel: { accounts: 1, regions: 0, catalogue: 0, hardware: 0, software: 0, budget: 0 },
    },
  ])('says NoOfferings naming the filter that emptied it: $name', async ({ spec, message, funnel }) => {
    await fx.apply('none', spec);
    await fx.reconcile('none');
    const s = await fx.mustGet('none');
    expect(s.status?.offeringCount).toBe(0);
    expect(s.status?.offerings).toEqual([]);
    // status.funnel keeps the counts for the web view's funnel.
    expect(s.status?.funnel).toEqual(funnel);
    expect(findCondition(s.status?.conditions, 'Ready')).toMatchObject({ status: 'False', reason: 'NoOfferings', message });
    expect(findCondition(s.status?.conditions, 'NoOfferings')).toMatchObject({ status: 'True', reason: 'NoOfferings', message });
  });

  it('records a Warning only when the Strategy goes from offerings to none', async () => {
    await fx.apply('s', { providers: [SIM_A] });
    await fx.reconcile('s');
    await fx.apply('s', { providers: [SIM_A], hardware: { minCPU: 64 } });
    await fx.reconcile('s');
    await fx.reconcile('s');
    expect(fx.events).toEqual([
      expect.objectContaining({ type: 'Warning', reason: 'NoOfferings', regarding: expect.objectContaining({ kind: 'Strategy', name: 's' }) }),
    ]);
    const s = await fx.mustGet('s');
    expect(s.status?.observedGeneration).toBe(2);
    await fx.apply('s', { providers: [SIM_A] });
    await fx.reconcile('s');
    expect(fx.events).toHaveLength(1);
  });

  it('notes an unreadable account in Ready, still resolves the rest, and retries sooner', async () => {
    (await fx.sim('sim-b')).failNext('regions', 'auth');
    await fx.apply('s', { providers: [SIM_A, SIM_B] });
    expect(await fx.reconcile('s')).toEqual({ requeueAfterMs: STRATEGY_PROBLEM_RETRY_MS });
    const ready = findCondition((await fx.mustGet('s')).status?.conditions, 'Ready');
    expect(ready).toMatchObject({ status: 'True', reason: 'OfferingsResolved' });
    expect(ready?.message).toMatch(/^39 offerings from 1 account; .*1 problem \(those accounts are left out\): provider account "sim-b": /);
  });

  it('looks again less and less often while an account keeps failing, and at the usual pace once it is back', async () => {
    const streaks = new Map<string, number>();
    const key = { namespace: NS, name: 's' };
    const sim = await fx.sim('sim-a');
    sim.addFaultRule({ op: 'regions', kind: 'transient', rate: 1 });
    await fx.apply('s', { providers: [SIM_A] });
    const waits: unknown[] = [];
    for (let i = 0; i < 5; i++) {
      const result = await reconcileStrategy(fx.deps, fx.ctx, key, streaks);
      waits.push(result.requeueAfterMs);
      fx.clock.advance(result.requeueAfterMs ?? 0);
    }
    expect(waits).toEqual([60_000, 120_000, 240_000, 480_000, STRATEGY_RESYNC_MS]);
    sim.resetFaults();
    expect(await reconcileStrategy(fx.deps, fx.ctx, key, streaks)).toEqual({ requeueAfterMs: STRATEGY_RESYNC_MS });
    expect(streaks.size).toBe(0);
  });

  it('says no account could be read when none could', async () => {
    (await fx.sim('sim-a')).failNext('regions', 'auth');
    await fx.apply('s', { providers: [SIM_A] });
    await fx.reconcile('s');
    const ready = findCondition((await fx.mustGet('s')).status?.conditions, 'Ready');
    expect(ready?.message).toMatch(/^no provider account of 1 could be read; 1 problem .*provider account "sim-a"/);
  });

  it.each<{ name: string; faults: Record<string, ProviderErrorKind>; spec: Record<string, unknown>; status: string; reason: string; message: RegExp }>([
    { name: 'every account read', faults: {}, spec: { providers: [SIM_A, SIM_B] }, status: 'True', reason: 'AllAccountsRead', message: /^2 accounts read$/ },
    { name: 'credentials refused', faults: { 'sim-b': 'auth' }, spec: { providers: [SIM_A, SIM_B] }, status: 'False', reason: 'CredentialsFailed', message: /^provider account "sim-b": / },
    { name: 'an account unreachable', faults: { 'sim-a': 'transient' }, spec: { providers: [SIM_A] }, status: 'False', reason: 'AccountsUnreachable', message: /^provider account "sim-a": / },
    { name: 'refused and unreachable: waiting may help', faults: { 'sim-a': 'auth', 'sim-b': 'throttled' }, spec: { providers: [SIM_A, SIM_B] }, status: 'False', reason: 'AccountsUnreachable', message: /"sim-a".*; .*"sim-b"/ },
    { name: 'a region the account does not offer', faults: {}, spec: { providers: [{ ...SIM_A, regions: ['mars-north'] }] }, status: 'False', reason: 'AccountsMisconfigured', message: /regions "mars-north" are not offered by the account/ },
  ])('says whether every account could be read, and if not whether waiting helps: $name', async ({ faults, spec, status, reason, message }) => {
    for (const [account, kind] of Object.entries(faults)) (await fx.sim(account)).failNext('regions', kind);
    await fx.apply('s', spec);
    await fx.reconcile('s');
    const readable = findCondition((await fx.mustGet('s')).status?.conditions, 'AccountsReadable');
    expect(readable).toMatchObject({ status, reason });
    expect(readable?.message).toMatch(message);
  });

  it('does nothing for a Strategy that is gone', async () => {
    expect(await fx.reconcile('missing')).toEqual({});
  });
});
