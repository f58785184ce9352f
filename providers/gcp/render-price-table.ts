import type { GcePriceTable } from './price-table.js';

/** The price-table.ts source for `table`, as refresh-prices.ts writes it. */
export function renderGcePriceTable(table: GcePriceTable, howObtained: string): string {
  const block = (byRegion: GcePriceTable['onDemand']): string =>
    Object.entries(byRegion)
      .map(([region, types]) => {
        const entries = Object.entries(types)
          .sort(([a], [b]) => a.localeCompare(b))
          .map(([type, usd]) => `      ${JSON.stringify(type)}: ${JSON.stringify(usd)},`);
        return [`    ${JSON.stringify(region)}: {`, ...entries, '    },'].join('\n');
      })
      .join('\n');
  const section = (body: string): string => (body === '' ? '{}' : `{\n${body}\n  }`);
  return `/**
 * Compute Engine machine types' USD per hour by region, on demand and Spot: the last fallback when
 * the Cloud Billing Catalog API cannot be read and nothing is cached.
 *
 * HOW THESE FIGURES WERE OBTAINED: ${howObtained}
 */
export const GCE_PRICE_TABLE = {
  refreshed: ${JSON.stringify(table.refreshed)},
  source: ${JSON.stringify(table.source)},
  onDemand: ${section(block(table.onDemand))},
  spot: ${section(block(table.spot))},
} as const satisfies GcePriceTable;

export interface GcePriceTable {
  /** The day the figures were taken (YYYY-MM-DD). */
  readonly refreshed: string;
  /** 'cloud-billing-catalog-api' when the refresh script wrote the table; anything else says it did not. */
  readonly source: string;
  /** Region → machine type → USD per hour as a decimal string. */
  readonly onDemand: Readonly<Record<string, Readonly<Record<string, string>>>>;
  readonly spot: Readonly<Record<string, Readonly<Record<string, string>>>>;
}
`;
}

/** What the refresh script says of figures it read. */
export function readFromCatalog(day: string): string {
  return `written by providers/gcp/refresh-prices.ts from the Cloud Billing
 * Catalog API (services/6F81-5844-456A/skus: per-region core, memory and GPU rates times each
 * machine type's vCPUs, memory and GPUs), read by the same code the adapter uses, on ${day}.
 * Do not edit by hand; run it again.`;
}
