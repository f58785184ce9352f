import { describe, expect, it } from '@jest/globals';
import { TransientError } from '../../providers/index.js';
import type { Provider, RegionInfo } from '../../providers/index.js';
import { FakeClock } from '../../runtime/testing/fake-clock.js';
import { createOfferingCatalog } from './catalog.js';

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

  it('keeps providers apart and forgets a failed call', async () => {
    const catalog = createOfferingCatalog(new FakeClock());
    const a = countingProvider('a');
    const b = countingProvider('a');
    await catalog.regions(a.provider);
    b.failOnce();
    await expect(catalog.regions(b.provider)).rejects.toThrow('regions failed');
    await expect(catalog.regions(b.provider)).resolves.toEqual([REGION]);
    expect([a.calls.regions, b.calls.regions]).toEqual([1, 2]);
  });
});
