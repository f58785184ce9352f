import type { Provider, ProviderOffering, RegionInfo } from '../../providers/index.js';
import type { Clock } from '../../runtime/clock.js';

export const CATALOG_TTL_MS = 5 * 60_000;
/**
 * A failed read is remembered this long, doubling with each failure in a row up to CATALOG_TTL_MS:
 * every pool and Strategy of an account whose cloud is down (or refuses the credentials) would
 * otherwise call it on every reconcile.
 */
export const CATALOG_FAILURE_MS = 15_000;

/**
 * A provider account's catalogue (regions, offerings per region, images per region and OS), read
 * through a cache so every pool and Strategy reconcile does not call the cloud. One per process.
 */
export interface OfferingCatalog {
  regions(provider: Provider): Promise<RegionInfo[]>;
  offerings(provider: Provider, region: string): Promise<ProviderOffering[]>;
  image(provider: Provider, region: string, os: string): Promise<string | undefined>;
}

interface Entry {
  readonly expiresAtMs: number;
  readonly value: Promise<unknown>;
  /** Failures in a row of this key, counting this entry's if it failed. */
  failures: number;
}

/**
 * Caches each answer for `ttlMs` on the injected clock. Keys are the Provider objects themselves
 * (the ProviderResolver hands out one per account and credentials), so two namespaces' accounts of
 * the same name never share entries. Concurrent callers share one call; a failed call is kept for a
 * short back-off (CATALOG_FAILURE_MS, doubling), so callers meanwhile get the same failure without
 * calling the cloud. Answers are shared between callers: read them, never edit them.
 */
export function createOfferingCatalog(clock: Clock, ttlMs = CATALOG_TTL_MS, failureMs = CATALOG_FAILURE_MS): OfferingCatalog {
  const byProvider = new WeakMap<Provider, Map<string, Entry>>();

  function cached<T>(provider: Provider, key: string, load: () => Promise<T>): Promise<T> {
    let entries = byProvider.get(provider);
    if (entries === undefined) {
      entries = new Map();
      byProvider.set(provider, entries);
    }
    const now = clock.now().getTime();
    const hit = entries.get(key);
    if (hit !== undefined && hit.expiresAtMs > now) return hit.value as Promise<T>;
    const value = load();
    const failuresBefore = hit !== undefined && hit.failures > 0 ? hit.failures : 0;
    const entry: Entry = { expiresAtMs: now + ttlMs, value, failures: 0 };
    entries.set(key, entry);
    const map = entries;
    value.then(
      () => undefined,
      () => {
        if (map.get(key) !== entry) return;
        const failures = failuresBefore + 1;
        const failedAt = clock.now().getTime();
        map.set(key, { expiresAtMs: failedAt + Math.min(ttlMs, failureMs * 2 ** (failures - 1)), value, failures });
      },
    );
    return value;
  }

  return {
    regions: (provider) => cached(provider, 'regions', () => provider.regions()),
    offerings: (provider, region) => cached(provider, `offerings\u0000${region}`, () => provider.offerings(region)),
    image: (provider, region, os) => cached(provider, `image\u0000${region}\u0000${os}`, () => provider.image(region, os)),
  };
}
