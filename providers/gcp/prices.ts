import { COMPUTE_ENGINE_SERVICE_ID, computeRates } from './billing-skus.js';
import type { BillingCatalog } from './billing-catalog.js';
import { machinePrices } from './machine-price.js';
import type { MachineTypeFields } from './machine-types.js';
import { spotKey } from '../pricing/index.js';
import { GCE_PRICE_TABLE } from './price-table.js';
import type { GcePriceTable } from './price-table.js';

/** The shipped table's on-demand prices, region → machine type → USD per hour. */
export const GCE_PRICES: GcePriceTable['onDemand'] = GCE_PRICE_TABLE.onDemand;
export const GCE_PRICES_REFRESHED: string = GCE_PRICE_TABLE.refreshed;

/** Joins on-demand and Spot prices into one region's record as the live-prices cache keeps it (spotKey for Spot). */
export function regionRecord(onDemand: Readonly<Record<string, string>>, spot: Readonly<Record<string, string>>): Record<string, string> {
  return { ...onDemand, ...Object.fromEntries(Object.entries(spot).map(([type, usd]) => [spotKey(type), usd])) };
}

/** The shipped table's record of `region` (the last fallback). */
export function tableRecord(table: GcePriceTable, region: string): Record<string, string> {
  const pick = (byRegion: GcePriceTable['onDemand']): Readonly<Record<string, string>> => (Object.hasOwn(byRegion, region) ? (byRegion[region] ?? {}) : {});
  return regionRecord(pick(table.onDemand), pick(table.spot));
}

/**
 * `types`' prices in `region` from the Cloud Billing Catalog: the one way polyfleet reads Compute
 * Engine prices, for the adapter and for refresh-prices.ts alike.
 */
export async function readGcePrices(clients: { readonly catalog: BillingCatalog }, region: string, types: readonly MachineTypeFields[]): Promise<Record<string, string>> {
  const rates = computeRates(await clients.catalog.listSkus(COMPUTE_ENGINE_SERVICE_ID), region);
  return regionRecord(machinePrices(rates, types, 'on-demand'), machinePrices(rates, types, 'spot'));
}
