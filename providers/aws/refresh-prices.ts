/**
 * Rewrites price-table.ts from the AWS Price List bulk API (no credentials needed):
 *
 *   npx tsx providers/aws/refresh-prices.ts [--regions us-east-1,eu-west-1] [--types t3.micro,m6i.large] [--out FILE]
 *
 * Defaults: the regions and types the current table has. Each region's offer file is streamed as
 * CSV (hundreds of MB for a large region; the JSON form would have to fit in memory).
 * Written from the documented format without network access to try it on; run it where AWS is
 * reachable and check the diff before committing.
 */
import { writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { parseCsvLine, priceRowReader, renderPriceTable } from './price-list.js';
import { PRICE_TABLE } from './price-table.js';

const BASE = 'https://pricing.us-east-1.amazonaws.com';
const REGION_INDEX = `${BASE}/offers/v1.0/aws/AmazonEC2/current/region_index.json`;

interface RegionIndex {
  readonly regions: Readonly<Record<string, { readonly regionCode: string; readonly currentVersionUrl: string }>>;
}

async function* lines(url: string): AsyncGenerator<string> {
  const res = await fetch(url);
  if (!res.ok || res.body === null) throw new Error(`GET ${url}: HTTP ${res.status}`);
  let rest = '';
  for await (const chunk of res.body.pipeThrough(new TextDecoderStream())) {
    const parts = (rest + chunk).split('\n');
    rest = parts.pop() ?? '';
    yield* parts;
  }
  if (rest !== '') yield rest;
}

/** The prices of `types` in one region's offer file. */
async function regionPrices(csvUrl: string, types: ReadonlySet<string>): Promise<Record<string, string>> {
  const prices: Record<string, string> = {};
  let read: ReturnType<typeof priceRowReader> | undefined;
  for await (const line of lines(csvUrl)) {
    const fields = parseCsvLine(line.replace(/\r$/, ''));
    if (read === undefined) {
      if (fields[0] === 'SKU') read = priceRowReader(fields);
      continue;
    }
    const row = read(fields);
    if (row !== undefined && types.has(row.instanceType)) prices[row.instanceType] = row.usdPerHour;
  }
  if (read === undefined) throw new Error(`${csvUrl}: no header row starting with "SKU"`);
  return prices;
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { regions: { type: 'string' }, types: { type: 'string' }, out: { type: 'string' } } });
  const regions = values.regions?.split(',') ?? Object.keys(PRICE_TABLE.regions);
  const current: Readonly<Record<string, Readonly<Record<string, string>>>> = PRICE_TABLE.regions;
  const types = new Set(values.types?.split(',') ?? Object.values(current).flatMap((r) => Object.keys(r)));
  const index = (await (await fetch(REGION_INDEX)).json()) as RegionIndex;
  const table: Record<string, Record<string, string>> = {};
  for (const region of regions) {
    const entry = index.regions[region];
    if (entry === undefined) throw new Error(`the price list has no region ${region}`);
    // The bulk API serves every offer file as JSON and CSV; the URL differs only in the extension.
    table[region] = await regionPrices(`${BASE}${entry.currentVersionUrl.replace(/\.json$/, '.csv')}`, types);
    process.stderr.write(`${region}: ${Object.keys(table[region]).length} of ${types.size} types priced\n`);
  }
  const out = values.out ?? fileURLToPath(new URL('./price-table.ts', import.meta.url));
  await writeFile(out, renderPriceTable({ refreshed: new Date().toISOString().slice(0, 10), source: 'price-list-api', regions: table }));
  process.stderr.write(`wrote ${out}\n`);
}

await main();
