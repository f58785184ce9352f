import type { ProviderOffering } from '../types.js';

/**
 * On-demand Linux list prices of Compute Engine machine types, US dollars per hour, by region.
 *
 * How obtained: typed in by hand, as remembered from the public pricing page
 * (https://cloud.google.com/compute/vm-instance-pricing, "On-demand price" columns), without access
 * to it or to any price API from the machine that wrote it — so not checked against either; regions
 * other than us-central1 are us-central1 times a regional factor. Check before trusting a budget to
 * them. The Cloud Billing Catalog API (services/6F81-5844-456A/skus) is the place to automate a
 * refresh. Prices change rarely;
 * a Strategy's `prices` override any figure here for an account. Types missing here are not
 * offered (a type without a price cannot be budgeted).
 */
export const GCE_PRICES_REFRESHED = '2026-11-22';

type RegionPrices = Readonly<Record<string, string>>;

const US_CENTRAL: RegionPrices = {
  'e2-micro': '0.008376',
  'e2-small': '0.016751',
  'e2-medium': '0.033503',
  'e2-standard-2': '0.067006',
  'e2-standard-4': '0.134012',
  'e2-standard-8': '0.268024',
  'e2-highmem-2': '0.090386',
  'e2-highcpu-2': '0.049468',
  'n1-standard-1': '0.0475',
  'n1-standard-2': '0.095',
  'n2-standard-2': '0.097118',
  'n2-standard-4': '0.194236',
  'n2-standard-8': '0.388472',
  'n2-highmem-2': '0.131014',
  'n2-highcpu-2': '0.071696',
  'n2d-standard-2': '0.084492',
  'n2d-standard-4': '0.168984',
  't2d-standard-1': '0.042246',
  't2a-standard-1': '0.0385',
  't2a-standard-2': '0.077',
  't2a-standard-4': '0.154',
  'g2-standard-4': '0.70683',
};

/** Regions priced like another, with a factor the pricing page shows as a flat uplift. */
function scaled(base: RegionPrices, factor: number): RegionPrices {
  return Object.fromEntries(Object.entries(base).map(([type, price]) => [type, (Number(price) * factor).toFixed(6)]));
}

export const GCE_PRICES: Readonly<Record<string, RegionPrices>> = {
  'us-central1': US_CENTRAL,
  'us-east1': US_CENTRAL,
  'us-west1': US_CENTRAL,
  'us-east4': scaled(US_CENTRAL, 1.126),
  'europe-west1': scaled(US_CENTRAL, 1.1),
  'europe-west4': scaled(US_CENTRAL, 1.1),
  'europe-west3': scaled(US_CENTRAL, 1.2),
  'europe-west2': scaled(US_CENTRAL, 1.2),
  'asia-northeast1': scaled(US_CENTRAL, 1.286),
  'asia-southeast1': scaled(US_CENTRAL, 1.233),
  'australia-southeast1': scaled(US_CENTRAL, 1.414),
  'southamerica-east1': scaled(US_CENTRAL, 1.588),
};

/** The hourly price of `type` in `region`: the account's override first, then the table. */
export function priceOf(region: string, type: string, overrides: Readonly<Record<string, string>> | undefined): string | undefined {
  return overrides?.[type] ?? GCE_PRICES[region]?.[type];
}

export type PriceOrigin = Required<Pick<ProviderOffering, 'priceSource'>> & Pick<ProviderOffering, 'pricedAt'>;

/** Where priceOf's figure comes from: the account's override, else this table (dated the day it was written). */
export function priceOrigin(type: string, overrides: Readonly<Record<string, string>> | undefined): PriceOrigin {
  return overrides !== undefined && Object.hasOwn(overrides, type) ? { priceSource: 'override' } : { priceSource: 'table', pricedAt: `${GCE_PRICES_REFRESHED}T00:00:00Z` };
}
