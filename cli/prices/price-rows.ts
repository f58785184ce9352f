import { ConditionType, moneyToMicros } from '../../api/index.js';
import type { Strategy } from '../../api/index.js';
import { humanDuration } from '../get/human-duration.js';

export interface PriceFilter {
  /** A provider account name. */
  readonly provider?: string;
  readonly region?: string;
}

/** The header of `polyfleet prices`. */
export const PRICE_HEADER = ['STRATEGY', 'PROVIDER', 'REGION', 'INSTANCE TYPE', 'CAPACITY', 'PRICE/H', 'SOURCE', 'AGE', 'ZONES'] as const;

/**
 * One row per (Strategy, account, region, instance type, capacity type, price) of the Strategies'
 * status.offerings, its zones merged (an on-demand type costs the same in every zone of a region; a
 * spot price may differ by zone), cheapest first within a region.
 * AGE is how long ago the price was read from the API (or the table was made); "-" for an override.
 */
export function priceRows(strategies: readonly Strategy[], filter: PriceFilter, now: Date): string[][] {
  const rows = new Map<string, { key: readonly [string, string, string]; price: string; cells: string[]; zones: string[] }>();
  for (const s of strategies) {
    for (const o of s.status?.offerings ?? []) {
      if (filter.provider !== undefined && o.provider !== filter.provider) continue;
      if (filter.region !== undefined && o.region !== filter.region) continue;
      const capacity = o.capacityType ?? 'on-demand';
      const id = [s.metadata.name, o.provider, o.region, o.instanceType, capacity, o.hourlyPrice].join('\u0000');
      const seen = rows.get(id);
      if (seen !== undefined) {
        seen.zones.push(o.zone);
        continue;
      }
      const age = o.pricedAt === undefined ? '-' : humanDuration(now.getTime() - Date.parse(o.pricedAt));
      rows.set(id, { key: [s.metadata.name, o.provider, o.region], price: o.hourlyPrice, cells: [s.metadata.name, o.provider, o.region, o.instanceType, capacity, o.hourlyPrice, o.priceSource ?? '-', age], zones: [o.zone] });
    }
  }
  return [...rows.values()]
    .sort((a, b) => a.key.join('\u0000').localeCompare(b.key.join('\u0000')) || moneyToMicros(a.price) - moneyToMicros(b.price) || (a.cells[3] ?? '').localeCompare(b.cells[3] ?? ''))
    .map((r) => [...r.cells, [...r.zones].sort().join(',')]);
}

/** "strategy NAME: MESSAGE" for each Strategy whose PricesStale condition is True. */
export function staleWarnings(strategies: readonly Strategy[]): string[] {
  return strategies.flatMap((s) => {
    const stale = s.status?.conditions?.find((c) => c.type === ConditionType.PricesStale && c.status === 'True');
    return stale === undefined ? [] : [`strategy ${s.metadata.name}: prices are stale (${stale.reason}): ${stale.message}`];
  });
}
