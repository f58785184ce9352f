import type { BillingCatalog } from './billing-catalog.js';
import type { MachineTypeFields } from './machine-types.js';
import type { GcePriceTable } from './price-table.js';
import { spotKey } from '../pricing/index.js';
import { readGcePrices } from './prices.js';

/**
 * The shipped table's figures for `types` in `regions`, through readGcePrices — the adapter's own
 * reader — with each region's machine types as Compute Engine lists them (`typesOf`); `report`
 * hears one line per region.
 */
export async function refreshGcePriceTable(
  catalog: BillingCatalog,
  regions: readonly string[],
  types: readonly string[],
  typesOf: (region: string) => Promise<readonly MachineTypeFields[]>,
  now: Date,
  report: (line: string) => void,
): Promise<GcePriceTable> {
  const wanted = new Set(types);
  const onDemand: Record<string, Record<string, string>> = {};
  const spot: Record<string, Record<string, string>> = {};
  for (const region of regions) {
    const listed = (await typesOf(region)).filter((t) => t.name && wanted.has(t.name));
    const record = await readGcePrices({ catalog }, region, listed);
    const pick = (key: (t: string) => string): Record<string, string> => Object.fromEntries([...wanted].flatMap((t) => { const usd = record[key(t)]; return usd === undefined ? [] : [[t, usd]]; }));
    const regionOnDemand = pick((t) => t);
    const regionSpot = pick(spotKey);
    onDemand[region] = regionOnDemand;
    spot[region] = regionSpot;
    report(`${region}: ${Object.keys(regionOnDemand).length} of ${wanted.size} types priced on demand, ${Object.keys(regionSpot).length} Spot`);
  }
  return { refreshed: now.toISOString().slice(0, 10), source: 'cloud-billing-catalog-api', onDemand, spot };
}
