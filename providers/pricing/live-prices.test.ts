import { describe, expect, it } from '@jest/globals';
import { LivePrices } from './live-prices.js';
import type { CachedPrices, PriceBook } from './live-prices.js';

const HOUR = 3_600_000;

function fixture(options: { book?: PriceBook } = {}) {
  let now = Date.parse('2026-12-01T00:00:00Z');
  let answer: Record<string, string> | Error = { 't3.micro': '0.0104' };
  const reads: string[] = [];
  const errors: string[] = [];
  const prices = new LivePrices({
    read: (region) => {
      reads.push(region);
      return answer instanceof Error ? Promise.reject(answer) : Promise.resolve(answer);
    },
    table: () => ({ 't3.micro': '0.0100' }),
    tableRefreshed: '2026-11-22',
    clock: { now: () => new Date(now) },
    ...(options.book === undefined ? {} : { book: options.book }),
    onError: (region, err) => errors.push(`${region}: ${String(err)}`),
  });
  return {
    prices,
    reads,
    errors,
    advance: (ms: number) => {
      now += ms;
    },
    answer: (a: Record<string, string> | Error) => {
      answer = a;
    },
  };
}

describe('LivePrices', () => {
  it('serves the API prices with when they were read, and reads again once half the TTL has passed, before they go stale', async () => {
    const fx = fixture();
    expect(await fx.prices.forRegion('us-east-1')).toEqual({ prices: { 't3.micro': '0.0104' }, source: 'api', fetchedAt: '2026-12-01T00:00:00.000Z' });
    fx.advance(3 * HOUR - 1);
    await fx.prices.forRegion('us-east-1');
    expect(fx.reads).toEqual(['us-east-1']);
    fx.answer({ 't3.micro': '0.0110' });
    fx.advance(1);
    // Due: the old prices answer at once, the new ones are read in the background.
    expect((await fx.prices.forRegion('us-east-1')).prices['t3.micro']).toBe('0.0104');
    await fx.prices.settled();
    expect(await fx.prices.forRegion('us-east-1')).toEqual({ prices: { 't3.micro': '0.0110' }, source: 'api', fetchedAt: '2026-12-01T03:00:00.000Z' });
    expect(fx.reads).toEqual(['us-east-1', 'us-east-1']);
  });

  it('keeps the cached prices through an outage, with their old read time, and never rejects', async () => {
    const fx = fixture();
    await fx.prices.forRegion('us-east-1');
    fx.answer(new Error('pricing is down'));
    fx.advance(7 * HOUR);
    await fx.prices.forRegion('us-east-1');
    await fx.prices.settled();
    expect(await fx.prices.forRegion('us-east-1')).toEqual({ prices: { 't3.micro': '0.0104' }, source: 'api', fetchedAt: '2026-12-01T00:00:00.000Z' });
    expect(fx.errors).toEqual(['us-east-1: Error: pricing is down']);
  });

  it('falls back to the shipped table when no read ever succeeded, and asks again only after the retry interval', async () => {
    const fx = fixture();
    fx.answer(new Error('AccessDeniedException'));
    expect(await fx.prices.forRegion('eu-west-1')).toEqual({ prices: { 't3.micro': '0.0100' }, source: 'table', fetchedAt: '2026-11-22T00:00:00Z' });
    await fx.prices.forRegion('eu-west-1');
    expect(fx.reads).toHaveLength(1);
    fx.answer({ 't3.micro': '0.0114' });
    fx.advance(5 * 60_000);
    expect(await fx.prices.forRegion('eu-west-1')).toMatchObject({ prices: { 't3.micro': '0.0114' }, source: 'api' });
  });

  it('takes an empty answer for a failure, not for a region where everything is free', async () => {
    const fx = fixture();
    fx.answer({});
    expect((await fx.prices.forRegion('us-east-1')).source).toBe('table');
    expect(fx.errors[0]).toMatch(/no prices for us-east-1/);
  });

  it('starts from the prices a previous process kept, and keeps what it reads', async () => {
    const saved = new Map<string, CachedPrices>([['us-east-1', { prices: { 't3.micro': '0.0099' }, fetchedAt: '2026-11-30T23:00:00.000Z' }]]);
    const book: PriceBook = {
      load: (region) => Promise.resolve(saved.get(region)),
      save: (region, p) => {
        saved.set(region, p);
        return Promise.resolve();
      },
    };
    const fx = fixture({ book });
    expect(await fx.prices.forRegion('us-east-1')).toEqual({ prices: { 't3.micro': '0.0099' }, source: 'api', fetchedAt: '2026-11-30T23:00:00.000Z' });
    expect(fx.reads).toEqual([]);
    await fx.prices.forRegion('eu-west-1');
    expect(saved.get('eu-west-1')).toEqual({ prices: { 't3.micro': '0.0104' }, fetchedAt: '2026-12-01T00:00:00.000Z' });
  });
});
