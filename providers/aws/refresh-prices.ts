/**
 * Rewrites price-table.ts from the AWS Price List Query API, through the same reader the adapter
 * uses at run time (price-list-query.ts), so the shipped table and live prices cannot disagree on
 * what a price is:
 *
 *   npx tsx providers/aws/refresh-prices.ts [--regions us-east-1,eu-west-1] [--types t3.micro,m6i.large] [--endpoint URL] [--out FILE]
 *
 * Needs AWS credentials allowed `pricing:GetProducts` (the SDK's default chain: environment, shared
 * config, instance role). Defaults: the regions and types the current table has.
 */
import { writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { refreshPriceTable } from './refresh-price-table.js';
import { PRICE_TABLE } from './price-table.js';
import { pricingClient } from './price-list-query.js';
import { renderPriceTable } from './render-price-table.js';

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { regions: { type: 'string' }, types: { type: 'string' }, endpoint: { type: 'string' }, out: { type: 'string' } } });
  const current: Readonly<Record<string, Readonly<Record<string, string>>>> = PRICE_TABLE.regions;
  const regions = values.regions?.split(',') ?? Object.keys(current);
  const types = values.types?.split(',') ?? [...new Set(Object.values(current).flatMap((r) => Object.keys(r)))];
  const client = pricingClient(values.endpoint === undefined ? {} : { endpoint: values.endpoint });
  const table = await refreshPriceTable(client, regions, types, new Date(), (line) => process.stderr.write(`${line}\n`));
  const out = values.out ?? fileURLToPath(new URL('./price-table.ts', import.meta.url));
  await writeFile(out, renderPriceTable(table));
  process.stderr.write(`wrote ${out}\n`);
}

await main();
