import type { Offering, PriceCacheEntry, ProviderAccount, StrategySpec } from '../../api/index.js';
import { moneyToMicros } from '../../api/index.js';
import { spotKey, zoneSpotKey } from '../../providers/index.js';
import type { CachedPrices, PriceBook } from '../../providers/index.js';
import type { Store } from '../../runtime/store/index.js';
import { listReadOnly } from '../../runtime/store/index.js';

/**
 * Prices survive a restart in the store, in the status of the Strategies that use them: each
 * Strategy keeps, per account and region, the API prices of the offerings it accepts
 * (status.priceCache), and a provider account's price book reads them back when its adapter first
 * needs a region. A new kind of object for a cache was the alternative; this keeps it beside the
 * offerings it explains, bounded by what the Strategy accepts, and readable with `kubectl get -o yaml`.
 */
export function priceCacheOf(offerings: readonly Offering[], previous: readonly PriceCacheEntry[], spec: StrategySpec): PriceCacheEntry[] {
  const entries = new Map<string, { provider: string; region: string; fetchedAt: string; prices: Record<string, string>; spotPrices?: Record<string, string>; zoneSpotPrices?: Record<string, string> }>();
  for (const o of offerings) {
    if (o.priceSource !== 'api' || o.pricedAt === undefined) continue;
    const key = `${o.provider}\u0000${o.region}`;
    const entry = entries.get(key) ?? { provider: o.provider, region: o.region, fetchedAt: o.pricedAt, prices: {} };
    if (o.capacityType === 'spot') {
      // A region's spot prices may differ by zone (EC2): the lowest is kept, as the cloud's cheapest.
      const spot = (entry.spotPrices ??= {});
      const seen = spot[o.instanceType];
      if (seen === undefined || moneyToMicros(o.hourlyPrice) < moneyToMicros(seen)) spot[o.instanceType] = o.hourlyPrice;
      (entry.zoneSpotPrices ??= {})[zoneSpotKey(o.instanceType, o.zone)] = o.hourlyPrice;
    } else entry.prices[o.instanceType] = o.hourlyPrice;
    if (Date.parse(o.pricedAt) < Date.parse(entry.fetchedAt)) entry.fetchedAt = o.pricedAt;
    entries.set(key, entry);
  }
  // An account that could not be read this time keeps what it had, while the Strategy still uses that region.
  for (const old of previous) {
    const key = `${old.provider}\u0000${old.region}`;
    if (!entries.has(key) && usesRegion(spec, old.provider, old.region)) entries.set(key, structuredClone(old));
  }
  return [...entries.values()].sort((a, b) => a.provider.localeCompare(b.provider) || a.region.localeCompare(b.region));
}

function usesRegion(spec: StrategySpec, provider: string, region: string): boolean {
  const account = spec.providers.find((p) => p.name === provider);
  return account !== undefined && (account.regions === undefined || account.regions.length === 0 || account.regions.includes(region));
}

/**
 * The price book of `account` in `namespace`: on-demand prices under each type's name, spot ones
 * under spotKey(type) (the region's lowest) and zoneSpotKey(type, zone) (each zone's own); what every Strategy of the namespace keeps for an
 * account of that name, type and endpoint (another account reusing the name elsewhere is not it),
 * merged, dated by the oldest. Saving is the Strategy controller's job (status.priceCache from
 * the offerings it resolved), so `save` keeps nothing.
 */
export function storedPriceBook(store: Store, namespace: string, account: ProviderAccount): PriceBook {
  return {
    async load(region) {
      const strategies = await listReadOnly(store, 'Strategy', { namespace });
      const found = strategies.flatMap((s) => (sameAccount(s.spec.providers, account) ? (s.status?.priceCache ?? []).filter((e) => e.provider === account.name && e.region === region) : []));
      if (found.length === 0) return undefined;
      const fetchedAt = found.map((e) => e.fetchedAt).reduce((a, b) => (Date.parse(a) <= Date.parse(b) ? a : b));
      const spot = (e: PriceCacheEntry): Record<string, string> => Object.fromEntries(Object.entries(e.spotPrices ?? {}).map(([type, usd]) => [spotKey(type), usd]));
      const prices: Record<string, string> = Object.assign({}, ...found.map((e) => ({ ...e.prices, ...spot(e), ...e.zoneSpotPrices }))) as Record<string, string>;
      return { prices, fetchedAt } satisfies CachedPrices;
    },
    save: () => Promise.resolve(),
  };
}

function sameAccount(accounts: readonly { readonly name: string; readonly type: string; readonly endpoint?: string | undefined }[], account: ProviderAccount): boolean {
  return accounts.some((a) => a.name === account.name && a.type === account.type && a.endpoint === account.endpoint);
}
