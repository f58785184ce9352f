import { describe, expect, it } from '@jest/globals';
import { TransientError } from '../../providers/index.js';
import type { Provider, RegionInfo } from '../../providers/index.js';
import { FakeClock } from '../../runtime/testing/fake-clock.js';
import { CATALOG_FAILURE_MS, createOfferingCatalog } from './catalog.js';

const REGION: RegionInfo = { name: 'r1', zones: ['r1a'], continent: 'EU', country: 'DE' };

/** A provider that counts regions() calls and fails the ones a test asks to. */
function countingProvider(account: string) {
  const calls = { regions: 0 };
  let failNext = false;
  const fail = (): Promise<never> => Promise.reject(new Error('not used'));
  const provider: Provider = {
    type: 'sim',
    account,
    regions: () => {
      calls.regions++;
      if (failNext) {
        failNext = false;
        return Promise.reject(new TransientError('regions failed', account));
      }
      return Promise.resolve([REGION]);
    },
    offerings: () => Promise.resolve([]),
    image: () => Promise.resolve(undefined),
    create: fail,
    get: fail,
    describe: fail,
    list: fail,
    delete: fail,
  };
  return { provider, calls, failOnce: () => (failNext = true) };
}

describe('createOfferingCatalog', () => {
  it('shares one call between concurrent callers and keeps the answer for the TTL', async () => {
    const clock = new FakeClock();
    const catalog = createOfferingCatalog(clock, 1_000);
    const a = countingProvider('a');
    await Promise.all([catalog.regions(a.provider), catalog.regions(a.provider)]);
    expect(a.calls.regions).toBe(1);
    clock.advance(999);
    await catalog.regions(a.provider);
    expect(a.calls.regions).toBe(1);
    clock.advance(1);
    await catalog.regions(a.provider);
    expect(a.calls.regions).toBe(2);
  });

  it('keeps providers apart, and keeps a failed call only for a short back-off', async () => {
    const clock = new FakeClock();
    const catalog = createOfferingCatalog(clock);
    const a = countingProvider('a');
    const b = countingProvider('a');
    await catalog.regions(a.provider);
    b.failOnce();
    await expect(catalog.regions(b.provider)).rejects.toThrow('regions failed');
    await expect(catalog.regions(b.provider)).rejects.toThrow('regions failed');
    expect(b.calls.regions).toBe(1);
    clock.advance(CATALOG_FAILURE_MS);
    await expect(catalog.regions(b.provider)).resolves.toEqual([REGION]);
    expect([a.calls.regions, b.calls.regions]).toEqual([1, 2]);
  });

  it('doubles the back-off while the failures go on, and starts short again after a success', async () => {
    const clock = new FakeClock();
    const catalog = createOfferingCatalog(clock, 10 * CATALOG_FAILURE_MS);
    const b = countingProvider('b');
    const failingCallsAfter = async (ms: number): Promise<number> => {
      clock.advance(ms);
      b.failOnce();
      await catalog.regions(b.provider).catch(() => undefined);
      return b.calls.regions;
    };
    expect(await failingCallsAfter(0)).toBe(1);
    expect(await failingCallsAfter(CATALOG_FAILURE_MS)).toBe(2);
    // Second failure in a row: 2 × the back-off before the cloud is asked again.
    expect(await failingCallsAfter(CATALOG_FAILURE_MS)).toBe(2);
    expect(await failingCallsAfter(CATALOG_FAILURE_MS)).toBe(3);
  });
});
