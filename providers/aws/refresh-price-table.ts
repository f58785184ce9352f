import type { PricingClient } from '@aws-sdk/client-pricing';
import type { PriceTable } from './price-table.js';
import { readRegionPrices } from './price-list-query.js';

/** The shipped table's figures for `types` in `regions`, read from the Price List Query API; `report` hears one line per region. */
export async function refreshPriceTable(client: PricingClient, regions: readonly string[], types: readonly string[], now: Date, report: (line: string) => void): Promise<PriceTable> {
  const wanted = new Set(types);
  const table: Record<string, Record<string, string>> = {};
  for (const region of regions) {
    const prices = await readRegionPrices(client, region);
    table[region] = Object.fromEntries(Object.entries(prices).filter(([type]) => wanted.has(type)));
    report(`${region}: ${Object.keys(table[region]).length} of ${wanted.size} types priced`);
  }
  return { refreshed: now.toISOString().slice(0, 10), source: 'price-list-api', regions: table };
}
