import { DescribeSpotPriceHistoryCommand } from '@aws-sdk/client-ec2';
import type { _InstanceType, EC2Client } from '@aws-sdk/client-ec2';
import type { ProviderOffering } from '../types.js';
import { isZoneSpotKey, zoneSpotKey } from '../pricing/index.js';
import type { PriceBook } from '../pricing/index.js';
import { trimPrice } from './price-list.js';

/**
 * A region's latest Linux spot prices, zoneSpotKey(type, zone) → USD per hour, from EC2's
 * DescribeSpotPriceHistory: with StartTime now EC2 answers the price in force for each zone and
 * type, over every page. Spot prices differ by zone (unlike on-demand ones), hence the key.
 */
export async function readSpotPrices(client: EC2Client, types: readonly string[], now: Date): Promise<Record<string, string>> {
  const prices: Record<string, string> = {};
  const newest = new Map<string, number>();
  for (let i = 0; i < types.length; i += 100) {
    let token: string | undefined;
    do {
      const page = await client.send(
        new DescribeSpotPriceHistoryCommand({
          StartTime: now,
          ProductDescriptions: ['Linux/UNIX'],
          InstanceTypes: types.slice(i, i + 100) as _InstanceType[],
          MaxResults: 1000,
          NextToken: token,
        }),
      );
      for (const p of page.SpotPriceHistory ?? []) {
        if (p.InstanceType === undefined || p.AvailabilityZone === undefined || p.SpotPrice === undefined || !/^\d+(\.\d+)?$/.test(p.SpotPrice)) continue;
        const key = zoneSpotKey(p.InstanceType, p.AvailabilityZone);
        const at = p.Timestamp?.getTime() ?? 0;
        if ((newest.get(key) ?? -1) > at) continue;
        newest.set(key, at);
        prices[key] = moneyOf(p.SpotPrice);
      }
      token = page.NextToken === '' ? undefined : page.NextToken;
    } while (token !== undefined);
  }
  return prices;
}

/** EC2 writes spot prices with six decimals at most; more would not be money (api/quantities.ts), so round up to the micro-dollar. */
function moneyOf(usd: string): string {
  const [whole = '0', fraction = ''] = usd.split('.');
  if (fraction.length <= 6) return trimPrice(usd);
  const micros = BigInt(whole) * 1_000_000n + BigInt(fraction.slice(0, 6)) + (/[1-9]/.test(fraction.slice(6)) ? 1n : 0n);
  return trimPrice(`${micros / 1_000_000n}.${(micros % 1_000_000n).toString().padStart(6, '0')}`);
}

/**
 * The spot offerings beside `onDemand`: each type in the zones that have a spot price, one offering
 * per distinct price (zones of one price together), so pick sees each zone at its own spot price.
 */
export function spotOfferings(onDemand: readonly ProviderOffering[], spot: Readonly<Record<string, string>>): ProviderOffering[] {
  return onDemand.flatMap((o) => {
    const byPrice = new Map<string, string[]>();
    for (const zone of o.zones) {
      const price = spot[zoneSpotKey(o.instanceType, zone)];
      if (price !== undefined) byPrice.set(price, [...(byPrice.get(price) ?? []), zone]);
    }
    const { pricedAt: _onDemandAt, priceSource: _source, ...shape } = o;
    return [...byPrice].map(([hourlyPrice, zones]) => ({ ...shape, hourlyPrice, zones, capacityType: 'spot' as const }));
  });
}

/**
 * The account's price book seen as its spot prices: the zoneSpotKey entries the book keeps beside
 * the on-demand ones (a Strategy's status.priceCache), so spot prices outlive a restart as on-demand
 * ones do. Saving stays the book keeper's job (the Strategy controller writes what it resolved).
 */
export function spotPriceBook(book: PriceBook): PriceBook {
  return {
    async load(region) {
      const kept = await book.load(region);
      const spot = Object.entries(kept?.prices ?? {}).filter(([key]) => isZoneSpotKey(key));
      return kept === undefined || spot.length === 0 ? undefined : { prices: Object.fromEntries(spot), fetchedAt: kept.fetchedAt };
    },
    save: () => Promise.resolve(),
  };
}
