import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import type { Offering, PriceCacheEntry, StrategySpec } from '../../api/index.js';
import { priceCacheOf, storedPriceBook } from './price-cache.js';
import { NS, strategyFixture } from './fixture.js';

const offering = (over: Partial<Offering>): Offering => ({
  provider: 'aws-east', region: 'us-east-1', zone: 'us-east-1a', instanceType: 't3.micro', cpu: 2, memoryGiB: 1, arch: 'amd64', gpu: 0, hourlyPrice: '0.0111', priceSource: 'api', pricedAt: '2026-12-01T01:00:00.000Z', ...over,
});
const spec = (regions?: string[]): StrategySpec => ({
  pick: 'cheapest',
  providers: [{ name: 'aws-east', type: 'aws', ...(regions === undefined ? {} : { regions }) }],
  hardware: { minCPU: 1, minMemoryGiB: 0, minDiskGiB: 0 },
  software: { os: 'ubuntu-24.04' },
});

describe('priceCacheOf', () => {
  it('keeps the API prices of the offerings per account and region, dated by the oldest; not table or override prices', () => {
    const cache = priceCacheOf(
      [
        offering({}),
        offering({ zone: 'us-east-1b' }),
        offering({ instanceType: 't3.small', hourlyPrice: '0.0222', pricedAt: '2026-12-01T00:30:00.000Z' }),
        offering({ region: 'eu-west-1', zone: 'eu-west-1a', priceSource: 'table', pricedAt: '2026-11-22T00:00:00Z' }),
        offering({ instanceType: 'm5.large', priceSource: 'override', pricedAt: undefined }),
      ],
      [],
      spec(),
    );
    expect(cache).toEqual([{ provider: 'aws-east', region: 'us-east-1', fetchedAt: '2026-12-01T00:30:00.000Z', prices: { 't3.micro': '0.0111', 't3.small': '0.0222' } }]);
  });

  it("keeps spot prices apart from on-demand ones, each type at its region's lowest and each zone at its own, so none overwrites another", () => {
    const cache = priceCacheOf(
      [
        offering({}),
        offering({ capacityType: 'spot', hourlyPrice: '0.0041' }),
        offering({ capacityType: 'spot', zone: 'us-east-1b', hourlyPrice: '0.0037' }),
      ],
      [],
      spec(),
    );
    expect(cache).toEqual([{ provider: 'aws-east', region: 'us-east-1', fetchedAt: '2026-12-01T01:00:00.000Z', prices: { 't3.micro': '0.0111' }, spotPrices: { 't3.micro': '0.0037' }, zoneSpotPrices: { 't3.micro/us-east-1a': '0.0041', 't3.micro/us-east-1b': '0.0037' } }]);
  });

  it('keeps what an account had when it could not be read this time, but not for a region the Strategy dropped', () => {
    const previous: PriceCacheEntry[] = [
      { provider: 'aws-east', region: 'us-east-1', fetchedAt: '2026-12-01T00:00:00.000Z', prices: { 't3.micro': '0.0111' } },
      { provider: 'aws-east', region: 'eu-west-1', fetchedAt: '2026-12-01T00:00:00.000Z', prices: { 't3.micro': '0.0123' } },
      { provider: 'gone', region: 'us-east-1', fetchedAt: '2026-12-01T00:00:00.000Z', prices: { 't3.micro': '0.0111' } },
    ];
    expect(priceCacheOf([], previous, spec(['us-east-1'])).map((e) => `${e.provider}/${e.region}`)).toEqual(['aws-east/us-east-1']);
  });
});

describe('storedPriceBook', () => {
  let fx: Awaited<ReturnType<typeof strategyFixture>>;
  beforeEach(async () => {
    fx = await strategyFixture();
  });
  afterEach(async () => {
    await fx.close();
  });

  const withCache = async (name: string, account: Record<string, unknown>, priceCache: PriceCacheEntry[]) => {
    await fx.apply(name, { providers: [account] });
    const s = await fx.mustGet(name);
    await fx.store.updateStatus({ ...s, status: { priceCache } });
  };

  it("reads back what the namespace's Strategies keep for the same account, merged and dated by the oldest", async () => {
    await withCache('a', { name: 'aws-east', type: 'aws' }, [{ provider: 'aws-east', region: 'us-east-1', fetchedAt: '2026-12-01T02:00:00.000Z', prices: { 't3.micro': '0.0111' } }]);
    await withCache('b', { name: 'aws-east', type: 'aws' }, [{ provider: 'aws-east', region: 'us-east-1', fetchedAt: '2026-12-01T01:00:00.000Z', prices: { 'm5.large': '0.0960' }, spotPrices: { 'm5.large': '0.031' }, zoneSpotPrices: { 'm5.large/us-east-1a': '0.031', 'm5.large/us-east-1c': '0.033' } }]);
    // The same name for another account (another endpoint) is not this account's.
    await withCache('c', { name: 'aws-east', type: 'aws', endpoint: 'https://ec2.example.test' }, [{ provider: 'aws-east', region: 'us-east-1', fetchedAt: '2026-12-01T03:00:00.000Z', prices: { 't3.micro': '9' } }]);
    const book = storedPriceBook(fx.store, NS, { name: 'aws-east', type: 'aws' });
    // Spot prices come back under spotKey and zoneSpotKey, as the adapters' live-prices caches keep them.
    expect(await book.load('us-east-1')).toEqual({
      prices: { 't3.micro': '0.0111', 'm5.large': '0.0960', 'spot/m5.large': '0.031', 'm5.large/us-east-1a': '0.031', 'm5.large/us-east-1c': '0.033' },
      fetchedAt: '2026-12-01T01:00:00.000Z',
    });
    expect(await book.load('eu-west-1')).toBeUndefined();
    expect(await storedPriceBook(fx.store, 'other', { name: 'aws-east', type: 'aws' }).load('us-east-1')).toBeUndefined();
  });
});
