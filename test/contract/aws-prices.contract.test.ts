// The AWS adapter's prices read from the Price List Query API (the fake in test/fakes/aws-price-list,
// served at moto's endpoint), cached for a TTL, kept through an outage, and the shipped table only
// as the last fallback; and the price table regenerated through the same reader.
import { createServer } from 'node:http';
import type { ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, jest } from '@jest/globals';
import { createProvider } from '../../providers/index.js';
import type { PriceReadFailure } from '../../providers/index.js';
import { AwsProvider } from '../../providers/aws/index.js';
import type { AwsProviderOptions } from '../../providers/aws/index.js';
import { pricingClient } from '../../providers/aws/price-list-query.js';
import { PRICE_TABLE } from '../../providers/aws/price-table.js';
import { refreshPriceTable } from '../../providers/aws/refresh-price-table.js';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { API_VERSION, parseKind } from '../../api/index.js';
import type { Strategy } from '../../api/index.js';
import { createOfferingCatalog } from '../../controllers/offerings/index.js';
import { createProviderResolver, OfferingBackoff } from '../../controllers/shared/index.js';
import type { ControllerDeps } from '../../controllers/shared/index.js';
import { reconcileStrategy, storedPriceBook } from '../../controllers/strategy/index.js';
import { openFileStore } from '../../runtime/store/file/index.js';
import type { FileStore } from '../../runtime/store/file/index.js';
import { FakeClock } from '../../runtime/testing/fake-clock.js';
import { ec2Catalogue, ec2Product, fakePriceList } from '../fakes/aws-price-list/index.js';
import { startMoto } from '../fakes/moto.js';
import type { Moto } from '../fakes/moto.js';

jest.setTimeout(60_000);

const KEYS = { accessKeyId: 'AKIAPOLYFLEETPRICES0', secretAccessKey: 'polyfleet-prices-secret-access-key' };
const HOUR = 3_600_000;

/** Prices unlike the shipped table's, so a test can tell where a figure came from. */
const LIVE = [
  { region: 'us-east-1', instanceType: 't3.micro', usd: '0.0111000000' },
  { region: 'us-east-1', instanceType: 't3.small', usd: '0.0222000000' },
  { region: 'us-east-1', instanceType: 'm7i.large', usd: '0.1008000000' },
  { region: 'eu-west-1', instanceType: 't3.micro', usd: '0.0123000000' },
];

/**
 * 120 Linux products of types EC2 does not have ahead of the real ones: GetProducts answers 100 a
 * page, so the real prices are only seen by a reader that follows NextToken.
 */
const FILLER = Array.from({ length: 120 }, (_, i) => ec2Product({ region: 'us-east-1', instanceType: `zz${i}.large`, usd: '9.0000000000' }));

const priceList = fakePriceList([...FILLER, ...ec2Catalogue(LIVE)]);
let moto: Moto;
let now: number;
const clock = { now: () => new Date(now) };
let priceErrors: string[];

beforeAll(async () => {
  moto = await startMoto({ accessKeys: { [KEYS.accessKeyId]: KEYS.secretAccessKey }, priceList });
}, 90_000);
afterAll(async () => {
  await moto.stop();
});
beforeEach(() => {
  now = Date.parse('2026-12-01T00:00:00Z');
  priceErrors = [];
  priceList.setDown(false);
});

const provider = (over: Partial<AwsProviderOptions> = {}): AwsProvider =>
  new AwsProvider({
    account: 'aws-prices',
    endpoint: moto.endpoint,
    regions: ['us-east-1', 'eu-west-1'],
    credentials: KEYS,
    clock,
    onPriceError: (region, err) => priceErrors.push(`${region}: ${err instanceof Error ? err.message : String(err)}`),
    ...over,
  });

const priced = async (p: AwsProvider, region: string, type: string) => (await p.offerings(region)).find((o) => o.instanceType === type);

describe('AWS prices from the Price List Query API', () => {
  it('offers each type at the exact price the Price List answers, over every page, saying it came from the api and when', async () => {
    const p = provider();
    const calls = priceList.calls;
    expect(await priced(p, 'us-east-1', 't3.micro')).toMatchObject({ hourlyPrice: '0.0111', priceSource: 'api', pricedAt: '2026-12-01T00:00:00.000Z' });
    expect(await priced(p, 'us-east-1', 't3.small')).toMatchObject({ hourlyPrice: '0.0222', priceSource: 'api' });
    // A type the shipped table lacks is offered once the Price List prices it.
    expect(await priced(p, 'us-east-1', 'm7i.large')).toMatchObject({ hourlyPrice: '0.1008', cpu: 2, memoryGiB: 8 });
    // A type the table has but the Price List does not price in the region is not offered at a table figure.
    expect(await priced(p, 'us-east-1', 'c5.large')).toBeUndefined();
    expect(await priced(p, 'eu-west-1', 't3.micro')).toMatchObject({ hourlyPrice: '0.0123', priceSource: 'api' });
    // us-east-1 took two pages (120 fillers + 3), eu-west-1 one; later calls used the cache.
    expect(priceList.calls - calls).toBe(3);
    expect(priceErrors).toEqual([]);
  });

  it('describes each instance type once, however often the offerings are read again', async () => {
    const p = provider();
    const before = moto.calls('DescribeInstanceTypes');
    await p.offerings('us-east-1');
    const first = moto.calls('DescribeInstanceTypes') - before;
    expect(first).toBeGreaterThan(0);
    await p.offerings('us-east-1');
    now += 7 * HOUR;
    await p.offerings('us-east-1');
    expect(moto.calls('DescribeInstanceTypes') - before).toBe(first);
  });

  it("prices an instance it lists at the Price List's figure too", async () => {
    const p = provider();
    await p.offerings('us-east-1');
    const image = (await p.image('us-east-1', 'ubuntu-24.04')) ?? '';
    const made = await p.create({ machineUid: 'price-1', attempt: 1, managedBy: 'prices', pool: 'p', namespace: 'default', region: 'us-east-1', zone: 'us-east-1a', instanceType: 't3.small', image });
    expect(made.hourlyPrice).toBe('0.0222');
    await p.delete(made.id);
  });

  it('offers spot beside on-demand at the latest DescribeSpotPriceHistory price of each zone, and launches spot with InstanceMarketOptions', async () => {
    const p = provider();
    const offerings = await p.offerings('us-east-1');
    // moto answers DescribeSpotPriceHistory with one fixed price (0.00001) for every type and zone it offers.
    const spot = offerings.filter((o) => o.instanceType === 't3.small' && o.capacityType === 'spot');
    expect(spot).toEqual([expect.objectContaining({ hourlyPrice: '0.00001', priceSource: 'api', pricedAt: '2026-12-01T00:00:00.000Z' })]);
    expect(spot[0]?.zones).toEqual(offerings.find((o) => o.instanceType === 't3.small' && o.capacityType === undefined)?.zones);
    const image = (await p.image('us-east-1', 'ubuntu-24.04')) ?? '';
    const req = { machineUid: 'spot-1', attempt: 1, managedBy: 'prices', pool: 'p', namespace: 'default', region: 'us-east-1', zone: 'us-east-1a', instanceType: 't3.small', image, capacityType: 'spot' as const };
    const made = await p.create(req);
    // moto keeps InstanceMarketOptions only as the instance's lifecycle: spot.
    expect(made).toMatchObject({ capacityType: 'spot', hourlyPrice: '0.00001' });
    expect((await p.get(made.id))?.capacityType).toBe('spot');
    // The same Machine attempt asking for on-demand is another offering.
    const { capacityType: _spot, ...onDemand } = req;
    await expect(p.create(onDemand)).rejects.toThrow(/as spot capacity; this retry asks for on-demand/);
    await p.delete(made.id);
  });

  it("marks the account's own price as an override", async () => {
    expect(await priced(provider({ prices: { 't3.micro': '0.005' } }), 'us-east-1', 't3.micro')).toMatchObject({ hourlyPrice: '0.005', priceSource: 'override' });
  });

  it('keeps the cached prices through an outage, still dated when they were read, once the TTL has passed', async () => {
    const p = provider();
    await p.offerings('us-east-1');
    priceList.setDown(true);
    now += 7 * HOUR;
    const calls = priceList.calls;
    expect(await priced(p, 'us-east-1', 't3.micro')).toMatchObject({ hourlyPrice: '0.0111', priceSource: 'api', pricedAt: '2026-12-01T00:00:00.000Z' });
    await p.pricesSettled();
    expect(priceList.calls - calls).toBe(1);
    expect(priceErrors).toEqual([expect.stringMatching(/^us-east-1: .*GetProducts of EC2 in us-east-1/)]);
    // Back up: the next read after the retry interval brings fresh prices.
    priceList.setDown(false);
    now += 5 * 60_000;
    await p.offerings('us-east-1');
    await p.pricesSettled();
    expect(await priced(p, 'us-east-1', 't3.micro')).toMatchObject({ priceSource: 'api', pricedAt: '2026-12-01T07:05:00.000Z' });
  });

  it('falls back to the shipped table when the Price List was never read, and says so', async () => {
    priceList.setDown(true);
    const t3 = await priced(provider(), 'us-east-1', 't3.micro');
    expect(t3).toMatchObject({ hourlyPrice: PRICE_TABLE.regions['us-east-1']['t3.micro'], priceSource: 'table', pricedAt: `${PRICE_TABLE.refreshed}T00:00:00Z` });
  });

  it('never fails offerings when the Price List cannot be reached, and reports why without the secret', async () => {
    const closed = await closedPort();
    const t3 = await priced(provider({ pricingEndpoint: `http://127.0.0.1:${closed}` }), 'us-east-1', 't3.micro');
    expect(t3).toMatchObject({ priceSource: 'table' });
    expect(priceErrors).toHaveLength(1);
    expect(priceErrors.join()).not.toContain(KEYS.secretAccessKey);
  });
});

describe('a Price List outage, as the registry builds the adapter', () => {
  it("tells the provider observer why the region's prices could not be read", async () => {
    const failures: PriceReadFailure[] = [];
    const p = await createProvider({ name: 'aws-observed', type: 'aws', endpoint: moto.endpoint, regions: ['us-east-1'] }, KEYS, {
      clock,
      retry: { maxAttempts: 1 },
      observer: { request: () => undefined, priceReadFailed: (f) => failures.push(f) },
    });
    priceList.setDown(true);
    expect((await p.offerings('us-east-1')).find((o) => o.instanceType === 't3.micro')).toMatchObject({ priceSource: 'table' });
    expect(failures).toEqual([{ provider: 'aws', account: 'aws-observed', region: 'us-east-1', reason: expect.stringContaining('GetProducts of EC2 in us-east-1') }]);
  });
});

describe('a Price List that hangs', () => {
  it('does not hold offerings up: past the timeout the table serves', async () => {
    // Accepts the request and never answers, as an overloaded proxy does.
    const held: ServerResponse[] = [];
    const hanging = createServer((_req, res) => held.push(res));
    await new Promise<void>((resolve) => hanging.listen(0, '127.0.0.1', resolve));
    const { port } = hanging.address() as AddressInfo;
    try {
      const t3 = await priced(provider({ pricingEndpoint: `http://127.0.0.1:${port}`, pricingTimeoutMs: 300 }), 'us-east-1', 't3.micro');
      expect(t3).toMatchObject({ priceSource: 'table' });
      expect(priceErrors).toHaveLength(1);
    } finally {
      hanging.closeAllConnections();
      await new Promise<void>((resolve) => hanging.close(() => { resolve(); }));
    }
  });
});

/** A loopback port nothing listens on. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => { resolve(); }));
  return port;
}

describe('refresh-prices.ts', () => {
  it('regenerates the shipped table through the same reader, from the same answers', async () => {
    const client = pricingClient({ endpoint: moto.endpoint, credentials: KEYS });
    const lines: string[] = [];
    const table = await refreshPriceTable(client, ['us-east-1', 'eu-west-1'], ['t3.micro', 't3.small', 'c5.large'], new Date('2026-12-02T10:00:00Z'), (l) => lines.push(l));
    expect(table).toEqual({
      refreshed: '2026-12-02',
      source: 'price-list-api',
      regions: { 'us-east-1': { 't3.micro': '0.0111', 't3.small': '0.0222' }, 'eu-west-1': { 't3.micro': '0.0123' } },
    });
    expect(lines).toEqual(['us-east-1: 2 of 3 types priced', 'eu-west-1: 1 of 3 types priced']);
  });
});

describe('AWS prices across a controller restart', () => {
  const silent = pino({ level: 'silent' });
  const key = { namespace: 'default', name: 'aws-cheap' };
  let dir: string;
  let store: FileStore;
  let fakeClock: FakeClock;

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'polyfleet-aws-prices-'));
    fakeClock = new FakeClock(Date.parse('2026-12-01T00:00:00Z'));
    store = await openFileStore({ path: join(dir, 'state.jsonl'), logger: silent, clock: fakeClock, pollIntervalMs: 0 });
    const parsed = parseKind('Strategy', {
      apiVersion: API_VERSION,
      kind: 'Strategy',
      metadata: key,
      spec: { pick: 'cheapest', providers: [{ name: 'aws-east', type: 'aws', endpoint: moto.endpoint, regions: ['us-east-1'] }], hardware: { maxCPU: 2 } },
    });
    if (!parsed.ok) throw new Error('the test Strategy is invalid');
    await store.create({ ...parsed.value, kind: 'Strategy' });
  });
  afterEach(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  /** What a controller process starts with: its own providers and catalogue, the one store. */
  const startController = (): ControllerDeps => ({
    store,
    recorder: { record: () => undefined },
    clock: fakeClock,
    backoff: new OfferingBackoff(fakeClock),
    managedBy: 'polyfleet-prices',
    providers: createProviderResolver({ credentials: () => Promise.resolve(KEYS) }, { clock: fakeClock, retry: { maxAttempts: 1 } }, (namespace, account) => storedPriceBook(store, namespace, account)),
    catalog: createOfferingCatalog(fakeClock),
  });
  const reconcile = async (deps: ControllerDeps): Promise<Strategy> => {
    await reconcileStrategy(deps, { log: silent, signal: new AbortController().signal, reconcileId: 'test' }, key);
    const s = await store.get('Strategy', key);
    if (s === undefined) throw new Error('the Strategy is gone');
    return s;
  };
  const t3micro = (s: Strategy) => s.status?.offerings?.find((o) => o.instanceType === 't3.micro');
  const stale = (s: Strategy) => s.status?.conditions?.find((c) => c.type === 'PricesStale');

  it('shows the API prices in status, keeps them in the store, and a restarted controller uses them through an outage until PricesStale says they are old', async () => {
    const first = await reconcile(startController());
    expect(t3micro(first)).toMatchObject({ hourlyPrice: '0.0111', priceSource: 'api', pricedAt: '2026-12-01T00:00:00.000Z' });
    expect(first.status?.offerings?.[0]).toMatchObject({ instanceType: 't3.micro', hourlyPrice: '0.0111' });
    expect(first.status?.priceCache).toEqual([{ provider: 'aws-east', region: 'us-east-1', fetchedAt: '2026-12-01T00:00:00.000Z', prices: { 't3.micro': '0.0111', 't3.small': '0.0222', 'm7i.large': '0.1008' } }]);
    expect(stale(first)).toMatchObject({ status: 'False', reason: 'PricesCurrent' });

    priceList.setDown(true);
    fakeClock.advance(HOUR);
    const restarted = startController();
    const calls = priceList.calls;
    const afterRestart = await reconcile(restarted);
    expect(t3micro(afterRestart)).toMatchObject({ hourlyPrice: '0.0111', priceSource: 'api', pricedAt: '2026-12-01T00:00:00.000Z' });
    // Fresh enough: the restarted controller did not even ask.
    expect(priceList.calls).toBe(calls);
    expect(stale(afterRestart)).toMatchObject({ status: 'False' });

    fakeClock.advance(6 * HOUR);
    const later = await reconcile(restarted);
    expect(t3micro(later)).toMatchObject({ hourlyPrice: '0.0111', priceSource: 'api', pricedAt: '2026-12-01T00:00:00.000Z' });
    expect(priceList.calls).toBeGreaterThan(calls);
    expect(stale(later)).toMatchObject({ status: 'True', reason: 'PricesOutdated' });
    expect(stale(later)?.message).toMatch(/^aws-east: \d+ offerings priced 7h ago \(2026-12-01T00:00:00\.000Z\), older than 6h; budgets and pick use these prices$/);
  });

  it('keeps spot prices per zone in the store too: a restarted controller offers spot at them without asking DescribeSpotPriceHistory again', async () => {
    const spotKey = { namespace: 'default', name: 'aws-spot' };
    const parsed = parseKind('Strategy', {
      apiVersion: API_VERSION,
      kind: 'Strategy',
      metadata: spotKey,
      spec: { pick: 'cheapest', capacityTypes: ['spot', 'on-demand'], providers: [{ name: 'aws-east', type: 'aws', endpoint: moto.endpoint, regions: ['us-east-1'] }], hardware: { maxCPU: 2 } },
    });
    if (!parsed.ok) throw new Error('the test Strategy is invalid');
    await store.create({ ...parsed.value, kind: 'Strategy' });
    const reconcileSpot = async (deps: ControllerDeps): Promise<Strategy> => {
      await reconcileStrategy(deps, { log: silent, signal: new AbortController().signal, reconcileId: 'test' }, spotKey);
      const s = await store.get('Strategy', spotKey);
      if (s === undefined) throw new Error('the Strategy is gone');
      return s;
    };
    const spotOf = (s: Strategy) => (s.status?.offerings ?? []).filter((o) => o.instanceType === 't3.micro' && o.capacityType === 'spot');

    const first = await reconcileSpot(startController());
    // moto's one fixed spot price, in each zone offering t3.micro.
    const zones = spotOf(first).map((o) => o.zone);
    expect(zones.length).toBeGreaterThan(0);
    expect(spotOf(first)).toEqual(zones.map(() => expect.objectContaining({ hourlyPrice: '0.00001', priceSource: 'api', pricedAt: '2026-12-01T00:00:00.000Z' })));
    const kept = first.status?.priceCache?.[0];
    expect(kept?.spotPrices?.['t3.micro']).toBe('0.00001');
    expect(Object.fromEntries(Object.entries(kept?.zoneSpotPrices ?? {}).filter(([k]) => k.startsWith('t3.micro/')))).toEqual(Object.fromEntries(zones.map((z) => [`t3.micro/${z}`, '0.00001'])));

    fakeClock.advance(10 * 60_000);
    const spotReads = moto.calls('DescribeSpotPriceHistory');
    const afterRestart = await reconcileSpot(startController());
    expect(spotOf(afterRestart)).toEqual(spotOf(first));
    expect(moto.calls('DescribeSpotPriceHistory')).toBe(spotReads);
  });
});
