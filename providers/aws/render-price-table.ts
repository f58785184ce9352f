import type { PriceTable } from './price-table.js';

/** The price-table.ts source for `table`, as refresh-prices.ts writes it. */
export function renderPriceTable(table: PriceTable): string {
  const regions = Object.entries(table.regions)
    .map(([region, types]) => {
      const entries = Object.entries(types)
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([type, usd]) => `      ${JSON.stringify(type)}: ${JSON.stringify(usd)},`);
      return [`    ${JSON.stringify(region)}: {`, ...entries, '    },'].join('\n');
    })
    .join('\n');
  return `/**
 * On-demand Linux (shared tenancy, no pre-installed software) USD per hour of common EC2 types:
 * the last fallback when the Price List Query API cannot be read and nothing is cached.
 *
 * HOW THESE FIGURES WERE OBTAINED: written by providers/aws/refresh-prices.ts from the AWS Price
 * List Query API (GetProducts), read by the same code the adapter uses, on ${table.refreshed}.
 * Do not edit by hand; run it again.
 */
export const PRICE_TABLE = {
  refreshed: ${JSON.stringify(table.refreshed)},
  source: ${JSON.stringify(table.source)},
  regions: {
${regions}
  },
} as const satisfies PriceTable;

export interface PriceTable {
  /** The day the figures were taken (YYYY-MM-DD). */
  readonly refreshed: string;
  /** 'price-list-api' when the refresh script wrote the table; anything else says it did not. */
  readonly source: string;
  /** Region → instance type → USD per hour as a decimal string. */
  readonly regions: Readonly<Record<string, Readonly<Record<string, string>>>>;
}
`;
}
