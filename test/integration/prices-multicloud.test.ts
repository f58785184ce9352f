// Prices from the clouds' own pricing APIs, end to end, as a user runs polyfleet: `polyfleet run` on a
// state file with a `pick: cheapest` Strategy over EC2 (moto, with the AWS Price List fake), Compute
// Engine (the fake, with the Cloud Billing Catalog fake) and DigitalOcean (the fake's price_hourly).
// `polyfleet prices` and the Strategy's status show the fakes' exact prices with source api; each
// time the fakes change their prices so another cloud is cheapest, the pool's next node goes there;
// with the pricing fakes down, the prices read last stay in use and PricesStale appears once the TTL
// (--price-ttl, short here so the test need not wait hours) has passed.
import { describe, expect, it } from '@jest/globals';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { stringify } from 'yaml';
import type { Machine, Strategy } from '../../api/index.js';
import type { BackgroundPolyfleet } from '../../cli/testing/cli-process.js';
import { ec2Catalogue } from '../fakes/aws-price-list/index.js';
import type { CloudEndpoints, CloudType } from '../fakes/cloud-endpoints.js';
import { COMPUTE_SERVICE_ID, computeCatalog, FAKE_RATES } from '../fakes/gcp-billing/index.js';
import { eventually } from './cluster.js';
import { standaloneClouds } from './fixtures/standalone-clouds.js';

const DEADLINE_MS = 180_000;
/** Prices are read again after half of it, PricesStale once a read is this old. */
const PRICE_TTL = '12s';
const POOL = 'cheapest-workers';
const STRATEGY = 'cheapest-anywhere';
const ACCOUNTS: readonly { name: string; type: CloudType; region: string; instanceType: string }[] = [
  { name: 'aws-east', type: 'aws', region: 'us-east-1', instanceType: 't3.large' },
  { name: 'gcp-main', type: 'gcp', region: 'us-central1', instanceType: 'e2-standard-2' },
  { name: 'do', type: 'digitalocean', region: 'nyc3', instanceType: 'g-2vcpu-8gb' },
];

/** The Price List as AWS writes prices (ten decimals), for the two 2-vCPU, 8-GiB types it prices. */
function awsPrices(t3Large: string): Record<string, unknown>[] {
  return ec2Catalogue([
    { region: 'us-east-1', instanceType: 't3.large', usd: t3Large },
    { region: 'us-east-1', instanceType: 'm5.large', usd: '0.0960000000' },
  ]);
}

interface Seen {
  readonly strategy: Strategy | undefined;
  readonly machines: Machine[];
}

describe('pick: cheapest on the prices the clouds’ pricing APIs serve, across EC2, Compute Engine and DigitalOcean', () => {
  const world = standaloneClouds('prices-multicloud');
  const clouds = (): CloudEndpoints => world.clouds();
  let run: BackgroundPolyfleet | undefined;

  function writeManifests(replicas: number): string {
    const manifests = join(world.dir(), 'manifests');
    mkdirSync(manifests, { recursive: true });
    const providers = ACCOUNTS.map((a) => clouds().pointAt({ name: a.name, type: a.type, regions: [a.region] }, 'env'));
    const strategy = {
      apiVersion: 'polyfleet.io/v1alpha1',
      kind: 'Strategy',
      metadata: { name: STRATEGY },
      spec: { pick: 'cheapest', providers, hardware: { minCPU: 2, maxCPU: 2, minMemoryGiB: 8, maxMemoryGiB: 8, arch: ['amd64'] }, software: { os: 'ubuntu-24.04' } },
    };
    const pool = { apiVersion: 'polyfleet.io/v1alpha1', kind: 'NodePool', metadata: { name: POOL }, spec: { replicas, strategyRef: { name: STRATEGY } } };
    writeFileSync(join(manifests, 'pool.yaml'), `${stringify(strategy)}---\n${stringify(pool)}`);
    return manifests;
  }

  async function seen(): Promise<Seen> {
    if (run?.child.exitCode !== null && run?.child.exitCode !== undefined) throw new Error(`polyfleet run exited ${run.child.exitCode}\n${run.stderr()}`);
    return world.state(async (store) => ({ strategy: await store.get('Strategy', { namespace: 'default', name: STRATEGY }), machines: await store.list('Machine') }), { strategy: undefined, machines: [] });
  }

  const cheapest = (s: Seen) => s.strategy?.status?.offerings?.[0];
  const offeringOf = (s: Seen, account: string) => s.strategy?.status?.offerings?.find((o) => o.provider === account && o.instanceType === ACCOUNTS.find((a) => a.name === account)?.instanceType);
  const stale = (s: Seen) => s.strategy?.status?.conditions?.find((c) => c.type === 'PricesStale');
  const running = (s: Seen) => s.machines.filter((m) => m.status?.phase === 'Running');
  const placements = (s: Seen) => [...s.machines].sort((a, b) => a.spec.slot - b.spec.slot).map((m) => `${m.spec.provider}/${m.spec.instanceType}`);

  /** `polyfleet prices`: per account, its type's row as [capacity, price, source]. */
  async function pricesTable(): Promise<{ rows: Record<string, string[]>; stderr: string }> {
    const shown = await world.toEnd(['prices']);
    expect(shown.code).toBe(0);
    const rows: Record<string, string[]> = {};
    for (const line of shown.stdout.split('\n').slice(1)) {
      const [, provider = '', , type = '', capacity = '', price = '', source = ''] = line.trim().split(/\s+/);
      if (ACCOUNTS.some((a) => a.name === provider && a.instanceType === type)) rows[provider] = [capacity, price, source];
    }
    return { rows, stderr: shown.stderr };
  }

  async function scaleTo(replicas: number): Promise<void> {
    expect(await world.toEnd(['apply', '-f', writeManifests(replicas)])).toMatchObject({ code: 0 });
  }

  it('shows the exact prices with source api, follows the cheapest cloud as prices change, and keeps the last prices, stale, through a pricing outage', async () => {
    clouds().awsPriceList.setProducts(awsPrices('0.0832000000'));
    run = world.start(['run', '-f', writeManifests(1), '--port', '0', '--price-ttl', PRICE_TTL]);

    // Compute Engine is cheapest: 2 × 0.021811 + 8 × 0.002923 (the Billing Catalog fake's e2 rates).
    const first = await eventually(seen, (s) => running(s).length === 1 && cheapest(s)?.provider === 'gcp-main', 'the first node to run on the cheapest cloud', DEADLINE_MS);
    expect(placements(first)).toEqual(['gcp-main/e2-standard-2']);
    expect(offeringOf(first, 'gcp-main')).toMatchObject({ hourlyPrice: '0.067006', priceSource: 'api' });
    expect(offeringOf(first, 'aws-east')).toMatchObject({ hourlyPrice: '0.0832', priceSource: 'api' });
    expect(offeringOf(first, 'do')).toMatchObject({ hourlyPrice: '0.09375', priceSource: 'api' });
    expect(stale(first)).toMatchObject({ status: 'False', reason: 'PricesCurrent' });
    expect((await pricesTable()).rows).toEqual({
      'aws-east': ['on-demand', '0.0832', 'api'],
      'gcp-main': ['on-demand', '0.067006', 'api'],
      do: ['on-demand', '0.09375', 'api'],
    });

    // The Price List halves t3.large: EC2 is cheapest once the prices are read again; the next node goes there.
    clouds().awsPriceList.setProducts(awsPrices('0.0416000000'));
    await eventually(seen, (s) => cheapest(s)?.provider === 'aws-east' && cheapest(s)?.hourlyPrice === '0.0416', 'the Strategy to see the new EC2 price', DEADLINE_MS);
    await scaleTo(2);
    const second = await eventually(seen, (s) => running(s).length === 2, 'the second node to run', DEADLINE_MS);
    expect(placements(second)).toEqual(['gcp-main/e2-standard-2', 'aws-east/t3.large']);

    // DigitalOcean cuts price_hourly below both: the third node goes there.
    clouds().setDigitalOceanPrice('g-2vcpu-8gb', 0.02);
    await eventually(seen, (s) => cheapest(s)?.provider === 'do' && cheapest(s)?.hourlyPrice === '0.02', 'the Strategy to see the new DigitalOcean price', DEADLINE_MS);
    await scaleTo(3);
    const third = await eventually(seen, (s) => running(s).length === 3, 'the third node to run', DEADLINE_MS);
    expect(placements(third)).toEqual(['gcp-main/e2-standard-2', 'aws-east/t3.large', 'do/g-2vcpu-8gb']);
    expect((await pricesTable()).rows).toEqual({
      'aws-east': ['on-demand', '0.0416', 'api'],
      'gcp-main': ['on-demand', '0.067006', 'api'],
      do: ['on-demand', '0.02', 'api'],
    });

    // Both pricing APIs go down, and the Billing Catalog would now answer other prices: the ones read last stay in use.
    clouds().awsPriceList.setDown(true);
    clouds().gcpBilling.setDown(true);
    clouds().gcpBilling.setSkus(COMPUTE_SERVICE_ID, computeCatalog(FAKE_RATES.map((r) => ({ ...r, usd: (Number(r.usd) / 10).toFixed(9) }))));
    // Each account's prices go stale a TTL after its own last read, so the condition names one, then both.
    const bothStale = (s: Parameters<typeof stale>[0]): boolean => stale(s)?.status === 'True' && ['aws-east:', 'gcp-main:'].every((a) => (stale(s)?.message ?? '').includes(a));
    const outage = await eventually(seen, bothStale, 'PricesStale naming both accounts once the prices each read last are older than the TTL', DEADLINE_MS);
    expect(stale(outage)).toMatchObject({ reason: 'PricesOutdated' });
    expect(stale(outage)?.message).toMatch(/^aws-east: \d+ offerings? priced \d+s ago \(.*\), older than 12s; gcp-main: \d+ offerings? priced \d+s ago \(.*\), older than 12s; budgets and pick use these prices$/);
    expect(offeringOf(outage, 'aws-east')).toMatchObject({ hourlyPrice: '0.0416', priceSource: 'api' });
    expect(offeringOf(outage, 'gcp-main')).toMatchObject({ hourlyPrice: '0.067006', priceSource: 'api' });
    const during = await pricesTable();
    expect(during.rows).toEqual({
      'aws-east': ['on-demand', '0.0416', 'api'],
      'gcp-main': ['on-demand', '0.067006', 'api'],
      do: ['on-demand', '0.02', 'api'],
    });
    expect(during.stderr).toContain(`strategy ${STRATEGY}: prices are stale (PricesOutdated): aws-east:`);

    // Nothing is left behind on any cloud.
    const deleted = await world.toEnd(['delete', 'nodepool', POOL, '--wait', '--timeout', '3m']);
    expect(deleted).toMatchObject({ code: 0 });
    const live = await Promise.all(ACCOUNTS.map((a) => clouds().clouds[a.type].liveInstances([a.region])));
    expect(live.map((l) => l.length)).toEqual([0, 0, 0]);
    run.child.kill('SIGTERM');
    const exitCode = await run.exited;
    expect({ exitCode, stderr: run.stderr() }).toEqual({ exitCode: 0, stderr: run.stderr() });
  }, 4 * DEADLINE_MS);
});
