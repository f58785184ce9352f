/**
 * Rewrites price-table.ts from the Cloud Billing Catalog API and Compute Engine's machine types,
 * through the same reader the adapter uses at run time (prices.ts), so the shipped table and live
 * prices cannot disagree on what a price is:
 *
 *   npx tsx providers/gcp/refresh-prices.ts --project P [--regions us-central1,europe-west4] [--types e2-micro,n2-standard-2] [--endpoint URL] [--access-token T] [--out FILE]
 *
 * Needs Application Default Credentials (or --access-token) allowed compute.machineTypes.list in
 * the project, with the Cloud Billing API enabled there. Defaults: the regions and types the
 * current table has.
 */
import { writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { CALL, connect } from './clients.js';
import type { MachineTypeFields } from './machine-types.js';
import { GCE_PRICE_TABLE } from './price-table.js';
import { refreshGcePriceTable } from './refresh-price-table.js';
import { readFromCatalog, renderGcePriceTable } from './render-price-table.js';

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { project: { type: 'string' }, regions: { type: 'string' }, types: { type: 'string' }, endpoint: { type: 'string' }, 'access-token': { type: 'string' }, out: { type: 'string' } } });
  const current: Readonly<Record<string, Readonly<Record<string, string>>>> = GCE_PRICE_TABLE.onDemand;
  const regions = values.regions?.split(',') ?? Object.keys(current);
  const types = values.types?.split(',') ?? [...new Set(Object.values(current).flatMap((r) => Object.keys(r)))];
  const token = values['access-token'];
  const clients = connect({
    account: 'refresh-prices',
    credentials: token === undefined ? {} : { accessToken: token },
    ...(values.project === undefined ? {} : { project: values.project }),
    ...(values.endpoint === undefined ? {} : { endpoint: values.endpoint }),
  });
  // Every zone of a region offers a subset of its types: the union of its zones' lists.
  const typesOf = async (region: string): Promise<MachineTypeFields[]> => {
    // regions.list, not regions.get: the role the project ships (docs/gcp-custom-role.yaml) allows it.
    const zones: string[] = [];
    for await (const r of clients.regions.listAsync({ project: clients.project }, CALL)) if (r.name === region) zones.push(...(r.zones ?? []));
    const byName = new Map<string, MachineTypeFields>();
    for (const zoneUrl of zones) {
      const zone = zoneUrl.split('/').pop() ?? '';
      for await (const t of clients.machineTypes.listAsync({ project: clients.project, zone, maxResults: 500 }, CALL)) if (t.name) byName.set(t.name, t);
    }
    return [...byName.values()];
  };
  const now = new Date();
  const table = await refreshGcePriceTable(clients.catalog, regions, types, typesOf, now, (line) => process.stderr.write(`${line}\n`));
  const out = values.out ?? fileURLToPath(new URL('./price-table.ts', import.meta.url));
  await writeFile(out, renderGcePriceTable(table, readFromCatalog(table.refreshed)));
  process.stderr.write(`wrote ${out}\n`);
}

await main();
