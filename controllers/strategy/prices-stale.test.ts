import { describe, expect, it } from '@jest/globals';
import type { Offering } from '../../api/index.js';
import { pricesStale } from './prices-stale.js';

const NOW = new Date('2026-12-01T12:00:00Z');
const offering = (over: Partial<Offering>): Offering => ({
  provider: 'aws-east', region: 'us-east-1', zone: 'us-east-1a', instanceType: 't3.micro', cpu: 2, memoryGiB: 1, arch: 'amd64', gpu: 0, hourlyPrice: '0.0104', ...over,
});

describe('PricesStale', () => {
  it('is False while every price is fresh from an API, an override, or not claimed (the sim)', () => {
    const c = pricesStale([offering({ priceSource: 'api', pricedAt: '2026-12-01T07:00:00Z' }), offering({ priceSource: 'override' }), offering({ provider: 'sim' })], NOW);
    expect(c).toEqual({ type: 'PricesStale', status: 'False', reason: 'PricesCurrent', message: "every price was read from its cloud's pricing API within 6h or set in the Strategy" });
  });

  it('names the accounts priced from a shipped table, and the table day', () => {
    const c = pricesStale([offering({ priceSource: 'table', pricedAt: '2026-11-22T00:00:00Z' }), offering({ priceSource: 'table', pricedAt: '2026-11-22T00:00:00Z', zone: 'us-east-1b' }), offering({ provider: 'gcp', priceSource: 'api', pricedAt: '2026-12-01T11:00:00Z' })], NOW);
    expect(c).toEqual({
      type: 'PricesStale',
      status: 'True',
      reason: 'TablePrices',
      message: 'aws-east: 2 offerings priced from the table shipped on 2026-11-22 (its pricing API has not answered); budgets and pick use these prices',
    });
  });

  it('says how old API prices are once they pass the limit', () => {
    const c = pricesStale([offering({ priceSource: 'api', pricedAt: '2026-12-01T05:30:00Z' })], NOW);
    expect(c).toMatchObject({ status: 'True', reason: 'PricesOutdated', message: 'aws-east: 1 offering priced 6h ago (2026-12-01T05:30:00Z), older than 6h; budgets and pick use these prices' });
    expect(pricesStale([offering({ priceSource: 'api', pricedAt: '2026-12-01T06:00:00Z' })], NOW).status).toBe('False');
  });
});
