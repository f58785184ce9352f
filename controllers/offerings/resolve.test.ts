import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { moneyToMicros, type ProviderAccount } from '../../api/index.js';
import { CATALOG_FAILURE_MS } from './catalog.js';
import { NS, offeringsFixture, simAccount, strategyOf } from './fixture.js';
import { resolveOfferings } from './resolve.js';
import type { ResolvedOffering } from './types.js';

let fx: ReturnType<typeof offeringsFixture>;
beforeEach(() => {
  fx = offeringsFixture();
});
afterEach(() => {
  fx.close();
});

const resolve = (spec: Record<string, unknown>) => resolveOfferings(fx.deps, NS, strategyOf(spec));
const prices = (offerings: readonly ResolvedOffering[]) => offerings.map((o) => moneyToMicros(o.hourlyPrice));
const types = (offerings: readonly ResolvedOffering[]) => [...new Set(offerings.map((o) => o.instanceType))].sort();
const regions = (offerings: readonly ResolvedOffering[]) => [...new Set(offerings.map((o) => o.region))];

describe('resolveOfferings', () => {
  it('offers every (region, zone, type) of the sim catalogue with its image, numbered by rank', async () => {
    const { offerings, problems, funnel } = await resolve({ providers: [simAccount('sim-a')] });
    expect(problems).toEqual([]);
    // 15 in na-east and eu-central each, 9 in ap-northeast (the default sim catalogue).
    expect(offerings).toHaveLength(39);
    expect(offerings.map((o) => o.rank)).toEqual(offerings.map((_, i) => i));
    expect(offerings.every((o) => o.image === `sim-img-ubuntu-24.04-${o.region}` && o.providerType === 'sim' && o.provider === 'sim-a')).toBe(true);
    expect(funnel).toEqual({ accounts: 1, regions: 3, catalogue: 39, hardware: 39, software: 39, budget: 39 });
  });

  it.each([
    { name: 'minCPU and arch', hardware: { minCPU: 4, arch: ['arm64'] }, want: ['sim.arm.medium'] },
    { name: 'maxCPU and maxMemoryGiB', hardware: { maxCPU: 2, maxMemoryGiB: 2 }, want: ['sim.micro'] },
    { name: 'minMemoryGiB and minDiskGiB', hardware: { minMemoryGiB: 32, minDiskGiB: 100 }, want: ['sim.gpu.large', 'sim.large'] },
    { name: 'a GPU count', hardware: { gpu: { count: 1 } }, want: ['sim.gpu.large'] },
    { name: 'a GPU model the cloud has', hardware: { gpu: { count: 1, model: 'nvidia-l4' } }, want: ['sim.gpu.large'] },
    { name: 'a GPU model the cloud lacks', hardware: { gpu: { count: 1, model: 'nvidia-h100' } }, want: [] },
  ])('filters hardware: $name', async ({ hardware, want }) => {
    const { offerings } = await resolve({ providers: [simAccount('sim-a')], hardware });
    expect(types(offerings)).toEqual(want);
  });

  it.each([
    { name: 'continents', geolocation: { continents: ['EU'] }, want: ['eu-central'] },
    { name: 'countries', geolocation: { countries: ['JP', 'US'] }, want: ['na-east', 'ap-northeast'] },
    { name: 'regions', geolocation: { regions: ['eu-central'] }, want: ['eu-central'] },
    { name: 'lists that share nothing', geolocation: { continents: ['EU'], countries: ['US'] }, want: [] },
  ])('filters geolocation: $name', async ({ geolocation, want }) => {
    const { offerings } = await resolve({ providers: [simAccount('sim-a')], geolocation, pick: 'first' });
    expect(regions(offerings)).toEqual(want);
  });

  it("uses the account's regions in its order and names a region the account does not offer", async () => {
    const { offerings, problems } = await resolve({ providers: [simAccount('sim-a', ['eu-central', 'mars-1', 'na-east'])], pick: 'first' });
    expect(regions(offerings)).toEqual(['eu-central', 'na-east']);
    expect(problems).toEqual([expect.stringContaining('provider account "sim-a": regions "mars-1" are not offered by the account')]);
  });

  it('drops regions without an image for software.os, unless software.images names one', async () => {
    const none = await resolve({ providers: [simAccount('sim-a')], software: { os: 'windows-2022' } });
    expect(none.offerings).toEqual([]);
    expect(none.funnel).toMatchObject({ hardware: 39, software: 0 });
    const { offerings } = await resolve({
      providers: [simAccount('sim-a')],
      software: { os: 'windows-2022', images: { 'sim-a': 'img-any', 'sim-a/eu-central': 'img-eu' } },
    });
    expect(offerings).toHaveLength(39);
    expect(new Set(offerings.map((o) => `${o.region}:${o.image}`))).toEqual(new Set(['na-east:img-any', 'ap-northeast:img-any', 'eu-central:img-eu']));
  });

  it('keeps offerings at most maxHourlyPerNode, compared exactly', async () => {
    const all = await resolve({ providers: [simAccount('sim-a')], pick: 'cheapest' });
    const third = all.offerings[2];
    if (third === undefined) throw new Error('too few offerings');
    const { offerings, funnel } = await resolve({ providers: [simAccount('sim-a')], pick: 'cheapest', budget: { maxHourlyPerNode: third.hourlyPrice } });
    expect(prices(offerings).every((p) => p <= moneyToMicros(third.hourlyPrice))).toBe(true);
    expect(offerings.length).toBeGreaterThanOrEqual(3);
    expect(offerings.length).toBeLessThan(39);
    expect(funnel?.budget).toBe(offerings.length);
  });

  it.each([
    { pick: 'cheapest', sorted: (p: number[]) => [...p].sort((a, b) => a - b) },
    { pick: 'priciest', sorted: (p: number[]) => [...p].sort((a, b) => b - a) },
  ])('orders $pick by price', async ({ pick, sorted }) => {
    const { offerings } = await resolve({ providers: [simAccount('sim-a'), simAccount('sim-b')], pick });
    expect(prices(offerings)).toEqual(sorted(prices(offerings)));
  });

  it.each(['first', 'random'])('orders %s by provider, region, zone, then price', async (pick) => {
    const { offerings } = await resolve({ providers: [simAccount('sim-b'), simAccount('sim-a', ['eu-central', 'na-east'])], pick });
    const blocks = [...new Set(offerings.map((o) => `${o.provider}/${o.region}/${o.zone}`))];
    expect(blocks.slice(0, 8)).toEqual([
      'sim-b/na-east/na-east-a',
      'sim-b/na-east/na-east-b',
      'sim-b/na-east/na-east-c',
      'sim-b/eu-central/eu-central-a',
      'sim-b/eu-central/eu-central-b',
      'sim-b/eu-central/eu-central-c',
      'sim-b/ap-northeast/ap-northeast-a',
      'sim-b/ap-northeast/ap-northeast-b',
    ]);
    expect(blocks.slice(8, 10)).toEqual(['sim-a/eu-central/eu-central-a', 'sim-a/eu-central/eu-central-b']);
    const zoneA = offerings.filter((o) => o.zone === 'na-east-a' && o.provider === 'sim-b');
    expect(prices(zoneA)).toEqual([...prices(zoneA)].sort((a, b) => a - b));
  });

  it('reports an account whose calls fail and still resolves the others', async () => {
    (await fx.sim('sim-a')).failNext('regions', 'auth');
    (await fx.sim('sim-b')).failNext('offerings', 'transient');
    const { offerings, problems, funnel } = await resolve({ providers: [simAccount('sim-a'), simAccount('sim-b'), simAccount('sim-c')] });
    expect(problems).toHaveLength(2);
    expect(problems[0]).toMatch(/^provider account "sim-a": .*check the account's credentials/);
    expect(problems[1]).toMatch(/^provider account "sim-b": .*retried/);
    expect(new Set(offerings.map((o) => o.provider))).toEqual(new Set(['sim-b', 'sim-c']));
    expect(funnel?.accounts).toBe(2);
  });

  it('reports an account whose provider cannot be made, and resolves the others', async () => {
    // Every type of the API has an adapter now; a type from a newer API (read by an older build) has none.
    const future = { name: 'azure-west', type: 'azure' } as unknown as ProviderAccount;
    const strategy = strategyOf({ providers: [simAccount('sim-a')] });
    strategy.spec.providers.unshift(future);
    const { offerings, problems } = await resolveOfferings(fx.deps, NS, strategy);
    expect(problems).toEqual([expect.stringContaining('provider account "azure-west" has type "azure"')]);
    expect(offerings).toHaveLength(39);
  });

  it('reads the catalogue from the cache for 5 minutes, then from the cloud again', async () => {
    const spec = { providers: [simAccount('sim-a')] };
    await resolve(spec);
    const sim = await fx.sim('sim-a');
    sim.failNext('regions', 'transient');
    expect((await resolve(spec)).problems).toEqual([]);
    fx.clock.advance(5 * 60_000);
    expect((await resolve(spec)).problems).toEqual([expect.stringContaining('provider account "sim-a"')]);
    // The failure is kept for a short back-off (no call to the cloud), then the cloud is read again.
    expect((await resolve(spec)).problems).toEqual([expect.stringContaining('provider account "sim-a"')]);
    fx.clock.advance(CATALOG_FAILURE_MS);
    expect((await resolve(spec)).problems).toEqual([]);
  });
});
