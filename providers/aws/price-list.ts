import type { PriceTable } from './price-table.js';

/**
 * Reading the AWS Price List bulk API's EC2 offer file in its CSV form
 * (https://docs.aws.amazon.com/awsaccountbilling/latest/aboutv2/using-the-aws-price-list-bulk-api.html):
 * a few metadata lines, then a header row starting with "SKU", then one row per price dimension.
 */

/** One CSV row of the offer file: RFC 4180 fields, quoted, "" for a quote (no field spans lines there). */
export function parseCsvLine(line: string): string[] {
  const fields: string[] = [];
  let i = 0;
  while (i <= line.length) {
    if (line[i] === '"') {
      let value = '';
      i++;
      while (i < line.length) {
        if (line[i] === '"' && line[i + 1] === '"') {
          value += '"';
          i += 2;
        } else if (line[i] === '"') {
          i++;
          break;
        } else value += line.charAt(i++);
      }
      fields.push(value);
      i++; // the comma
    } else {
      const end = line.indexOf(',', i);
      fields.push(line.slice(i, end === -1 ? line.length : end));
      i = end === -1 ? line.length + 1 : end + 1;
    }
  }
  return fields;
}

/** The columns that make a row the price polyfleet ships: on-demand Linux, shared tenancy, no extra software, per hour in USD. */
const WANTED: Readonly<Record<string, string>> = {
  TermType: 'OnDemand',
  'Product Family': 'Compute Instance',
  'Operating System': 'Linux',
  Tenancy: 'Shared',
  'Pre Installed S/W': 'NA',
  'License Model': 'No License required',
  CapacityStatus: 'Used',
  Unit: 'Hrs',
  Currency: 'USD',
};

export interface PriceRow {
  readonly instanceType: string;
  readonly usdPerHour: string;
}

/** A reader of rows for the header row `header`; throws when a column the filter needs is missing (a format change). */
export function priceRowReader(header: readonly string[]): (fields: readonly string[]) => PriceRow | undefined {
  const column = (name: string): number => {
    const at = header.indexOf(name);
    if (at === -1) throw new Error(`the offer file has no "${name}" column (columns: ${header.join(', ')}); its format changed`);
    return at;
  };
  const checks = Object.entries(WANTED).map(([name, value]) => [column(name), value] as const);
  const type = column('Instance Type');
  const price = column('PricePerUnit');
  return (fields) => {
    if (!checks.every(([at, value]) => fields[at] === value)) return undefined;
    const instanceType = fields[type];
    const usd = fields[price];
    if (instanceType === undefined || instanceType === '' || usd === undefined || !/^\d+(\.\d+)?$/.test(usd)) return undefined;
    return { instanceType, usdPerHour: trimPrice(usd) };
  };
}

/** "0.0104000000" → "0.0104": the table's decimal strings, no float in between. */
export function trimPrice(usd: string): string {
  return usd.includes('.') ? usd.replace(/0+$/, '').replace(/\.$/, '') : usd;
}

/** The price-table.ts source for `table`. */
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
 * On-demand Linux (shared tenancy, no pre-installed software) USD per hour of common EC2 types.
 *
 * HOW THESE FIGURES WERE OBTAINED: written by providers/aws/refresh-prices.ts from the AWS Price
 * List bulk API's EC2 offer files on ${table.refreshed}. Do not edit by hand; run it again.
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
