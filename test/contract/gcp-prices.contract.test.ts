// The GCP adapter's prices read from the Cloud Billing Catalog API (the fake in test/fakes/gcp-billing,
// served at the fake Compute Engine's endpoint): per-region core, memory and GPU rates times each
// machine type, on demand and Spot, cached for a TTL, kept through an outage, the shipped table only
// as the last fallback; and the price table regenerated through the same reader.
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, jest } from '@jest/globals';
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
import { GCE_PRICE_TABLE, GcpProvider } from '../../providers/gcp/index.js';
import type { GcpProviderOptions } from '../../providers/gcp/index.js';
import { BillingCatalog } from '../../providers/gcp/billing-catalog.js';
import { refreshGcePriceTable } from '../../providers/gcp/refresh-price-table.js';
import { spotKey } from '../../providers/pricing/index.js';
import { openFileStore } from '../../runtime/store/file/index.js';
import type { FileStore } from '../../runtime/store/file/index.js';
import { FakeClock } from '../../runtime/testing/fake-clock.js';
import { COMPUTE_SERVICE_ID, computeCatalog, fakeBillingCatalog, rateSku } from '../fakes/gcp-billing/index.js';
import { startFakeGce } from '../fakes/gce/index.js';
import type { FakeGce } from '../fakes/gce/index.js';

process.env.GCE_METADATA_HOST = '127.0.0.1:9';
jest.setTimeout(60_000);

const HOUR = 3_600_000;

/**
 * 5,200 SKUs of another catalog region ahead of the real ones: the catalog answers 5,000 a page, so
 * the fake's prices are only seen by a reader that follows nextPageToken.
 */
const FILLER = Array.from({ length: 5200 }, (_, i) => rateSku({ name: `x${i}`, resource: 'core', kind: 'on-demand', regions: ['me-west1'], usd: '9' }));
const billing = fakeBillingCatalog({ [COMPUTE_SERVICE_ID]: [...FILLER, ...computeCatalog()] });
let gce: FakeGce;
let now: number;
const clock = { now: () => new Date(now) };
let priceErrors: string[];

beforeAll(async () => {
  gce = await startFakeGce({ billing });
});
afterAll(async () => {
  await gce.stop();
});
beforeEach(() => {
  now = Date.parse('2026-12-01T00:00:00Z');
  priceErrors = [];
  billing.setDown(false);
});

const provider = (over: Partial<GcpProviderOptions> = {}): GcpProvider =>
  new GcpProvider({
    account: 'gcp-prices',
    endpoint: gce.endpoint,
    project: gce.project,
    credentials: { accessToken: gce.accessToken },
    clock,
    onPriceError: (region, err) => priceErrors.push(`${region}: ${err instanceof Error ? err.message : String(err)}`),
    ...over,
  });

const priced = async (p: GcpProvider, region: string, type: string) => (await p.offerings(region)).find((o) => o.instanceType === type);

describe('GCP prices from the Cloud Billing Catalog API', () => {
  it("offers each machine type at its vCPUs and memory times the region's rates, exactly, over every page, saying they came from the api and when", async () => {
    const p = provider();
    const calls = billing.calls;
    // 2 × 0.021811 + 8 × 0.002923 (the fake's e2 rates in us-central1)
    expect(await priced(p, 'us-central1', 'e2-standard-2')).toMatchObject({ hourlyPrice: '0.067006', priceSource: 'api', pricedAt: '2026-12-01T00:00:00.000Z' });
    // A shared-core e2-small bills half a vCPU: 0.5 × 0.021811 + 2 × 0.002923 = 0.0167515, half up.
    expect(await priced(p, 'us-central1', 'e2-small')).toMatchObject({ hourlyPrice: '0.016752', priceSource: 'api' });
    // 4 × 0.024988 + 16 × 0.002927 + one L4 at 0.56004
    expect(await priced(p, 'us-central1', 'g2-standard-4')).toMatchObject({ hourlyPrice: '0.706824', gpu: { count: 1, model: 'nvidia-l4' } });
    // europe-west4's rates are 1.1 × us-central1's: 2 × 0.0239921 + 8 × 0.0032153
    expect(await priced(p, 'europe-west4', 'e2-standard-2')).toMatchObject({ hourlyPrice: '0.073707', priceSource: 'api' });
    // No c4a rate in the catalog: not offered, rather than offered at a guess.
    expect(await priced(p, 'us-central1', 'c4a-standard-1')).toBeUndefined();
    // Two pages (5,200 fillers, then the rest) read once, shared by both regions; later calls use the cache.
    expect(billing.calls - calls).toBe(2);
    expect(priceErrors).toEqual([]);
  });

  it("prices a listed instance at the catalog's figure, and the account's own prices still come first", async () => {
    const p = provider({ prices: { 'e2-medium': '0.5' } });
    const offerings = await p.offerings('us-central1');
    expect(offerings.find((o) => o.instanceType === 'e2-medium')).toMatchObject({ hourlyPrice: '0.5', priceSource: 'override' });
    expect(offerings.find((o) => o.instanceType === 'e2-medium')?.pricedAt).toBeUndefined();
  });

  it('keeps the cached prices through an outage, with their read time, so they show as stale once the TTL passes', async () => {
    const p = provider();
    await p.offerings('us-central1');
    billing.setDown(true);
    now += 7 * HOUR;
    expect(await priced(p, 'us-central1', 'e2-standard-2')).toMatchObject({ hourlyPrice: '0.067006', priceSource: 'api', pricedAt: '2026-12-01T00:00:00.000Z' });
    await p.pricesSettled();
    expect(priceErrors).toEqual(['us-central1: services.skus.list of 6F81-5844-456A answered HTTP 503: The service is currently unavailable.']);
    billing.setDown(false);
    now += 10 * 60_000;
    await p.offerings('us-central1');
    await p.pricesSettled();
    expect(await priced(p, 'us-central1', 'e2-standard-2')).toMatchObject({ priceSource: 'api', pricedAt: '2026-12-01T07:10:00.000Z' });
  });

  it('falls back to the shipped table, saying so, when the catalog never answered', async () => {
    billing.setDown(true);
    const p = provider();
    expect(await priced(p, 'us-central1', 'e2-standard-2')).toMatchObject({ hourlyPrice: GCE_PRICE_TABLE.onDemand['us-central1']['e2-standard-2'], priceSource: 'table', pricedAt: `${GCE_PRICE_TABLE.refreshed}T00:00:00Z` });
  });
});

describe('Compute Engine Spot VMs', () => {
  it('offers each type as Spot too, at its Spot rates, and creates it as SPOT deleted on preemption, priced as Spot', async () => {
    const p = provider();
    const offerings = await p.offerings('us-central1');
    // 2 × 0.006543 + 8 × 0.000877 (the fake's e2 Spot rates)
    expect(offerings.find((o) => o.instanceType === 'e2-standard-2' && o.capacityType === 'spot')).toMatchObject({ hourlyPrice: '0.020102', priceSource: 'api', zones: ['us-central1-a', 'us-central1-b', 'us-central1-c', 'us-central1-f'] });
    expect(offerings.find((o) => o.instanceType === 'e2-standard-2' && o.capacityType === undefined)).toMatchObject({ hourlyPrice: '0.067006' });
    const image = (await p.image('us-central1', 'ubuntu-24.04')) ?? '';
    const req = { machineUid: 'm-spot', attempt: 1, managedBy: 'gcp-spot', pool: 'workers', namespace: 'default', region: 'us-central1', zone: 'us-central1-b', instanceType: 'e2-standard-2', image, capacityType: 'spot' as const };
    const created = await p.create(req);
    expect(created).toMatchObject({ capacityType: 'spot', hourlyPrice: '0.020102' });
    const raw = (await (await fetch(`${gce.endpoint}/compute/v1/projects/${gce.project}/zones/us-central1-b/instances/${created.id.split('/')[1] ?? ''}`, { headers: { authorization: `Bearer ${gce.accessToken}` } })).json()) as { scheduling: Record<string, unknown> };
    expect(raw.scheduling).toMatchObject({ provisioningModel: 'SPOT', instanceTerminationAction: 'DELETE', automaticRestart: false, onHostMaintenance: 'TERMINATE' });
    // A retry asking for on-demand instead is another offering, refused rather than answered with the Spot VM.
    const { capacityType: _spot, ...onDemand } = req;
    await expect(p.create(onDemand)).rejects.toThrow(/already made instance .* with capacityType spot/);

    // Its preemption: gcp-spot.contract.test.ts.
  });
});

describe('gcp refresh-prices.ts', () => {
  it('regenerates the shipped table through the same reader, from the same answers, on demand and Spot', async () => {
    const catalog = new BillingCatalog({ endpoint: gce.endpoint, headers: () => Promise.resolve(new Headers({ authorization: `Bearer ${gce.accessToken}` })) });
    const types = [
      { name: 'e2-standard-2', guestCpus: 2, memoryMb: 8192 },
      { name: 'c4a-standard-1', guestCpus: 1, memoryMb: 4096 },
    ];
    const lines: string[] = [];
    const table = await refreshGcePriceTable(catalog, ['us-central1'], ['e2-standard-2', 'c4a-standard-1'], () => Promise.resolve(types), new Date('2026-12-02T10:00:00Z'), (l) => lines.push(l));
    // Spot: 2 × 0.006543 + 8 × 0.000877
    expect(table).toEqual({ refreshed: '2026-12-02', source: 'cloud-billing-catalog-api', onDemand: { 'us-central1': { 'e2-standard-2': '0.067006' } }, spot: { 'us-central1': { 'e2-standard-2': '0.020102' } } });
    expect(lines).toEqual(['us-central1: 1 of 2 types priced on demand, 1 Spot']);
    expect(spotKey('e2-standard-2')).toBe('spot/e2-standard-2');
  });
});

describe('GCP prices across a controller restart', () => {
  const silent = pino({ level: 'silent' });
  const key = { namespace: 'default', name: 'gcp-cheap' };
  let dir: string;
  let store: FileStore;
  let fakeClock: FakeClock;

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'polyfleet-gcp-prices-'));
    fakeClock = new FakeClock(Date.parse('2026-12-01T00:00:00Z'));
    store = await openFileStore({ path: join(dir, 'state.jsonl'), logger: silent, clock: fakeClock, pollIntervalMs: 0 });
    const parsed = parseKind('Strategy', {
      apiVersion: API_VERSION,
      kind: 'Strategy',
      metadata: key,
      spec: { pick: 'cheapest', providers: [{ name: 'gcp-central', type: 'gcp', endpoint: gce.endpoint, project: gce.project, regions: ['us-central1'] }], hardware: { minCPU: 2, maxCPU: 2, minMemoryGiB: 8 } },
    });
    if (!parsed.ok) throw new Error('the test Strategy is invalid');
    await store.create({ ...parsed.value, kind: 'Strategy' });
  });
  afterEach(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const startController = (): ControllerDeps => ({
    store,
    recorder: { record: () => undefined },
    clock: fakeClock,
    backoff: new OfferingBackoff(fakeClock),
    managedBy: 'polyfleet-prices',
    providers: createProviderResolver({ credentials: () => Promise.resolve({ accessToken: gce.accessToken }) }, { clock: fakeClock, retry: { maxAttempts: 1 } }, (namespace, account) => storedPriceBook(store, namespace, account)),
    catalog: createOfferingCatalog(fakeClock),
  });
  const reconcile = async (deps: ControllerDeps): Promise<Strategy> => {
    await reconcileStrategy(deps, { log: silent, signal: new AbortController().signal, reconcileId: 'test' }, key);
    const s = await store.get('Strategy', key);
    if (s === undefined) throw new Error('the Strategy is gone');
    return s;
  };
  const e2 = (s: Strategy) => s.status?.offerings?.find((o) => o.instanceType === 'e2-standard-2');
  const stale = (s: Strategy) => s.status?.conditions?.find((c) => c.type === 'PricesStale');

  it('shows the catalog prices in status and keeps them; through an outage a restarted controller uses them until PricesStale says they are old', async () => {
    const first = await reconcile(startController());
    expect(e2(first)).toMatchObject({ hourlyPrice: '0.067006', priceSource: 'api', pricedAt: '2026-12-01T00:00:00.000Z' });
    expect(first.status?.priceCache?.[0]).toMatchObject({ provider: 'gcp-central', region: 'us-central1', fetchedAt: '2026-12-01T00:00:00.000Z' });
    expect(first.status?.priceCache?.[0]?.prices['e2-standard-2']).toBe('0.067006');
    expect(stale(first)).toMatchObject({ status: 'False', reason: 'PricesCurrent' });

    billing.setDown(true);
    fakeClock.advance(HOUR);
    const restarted = startController();
    const calls = billing.calls;
    const afterRestart = await reconcile(restarted);
    expect(e2(afterRestart)).toMatchObject({ hourlyPrice: '0.067006', priceSource: 'api', pricedAt: '2026-12-01T00:00:00.000Z' });
    expect(billing.calls).toBe(calls);

    fakeClock.advance(6 * HOUR);
    const later = await reconcile(restarted);
    expect(e2(later)).toMatchObject({ hourlyPrice: '0.067006', priceSource: 'api', pricedAt: '2026-12-01T00:00:00.000Z' });
    expect(billing.calls).toBeGreaterThan(calls);
    expect(stale(later)).toMatchObject({ status: 'True', reason: 'PricesOutdated' });
    expect(stale(later)?.message).toMatch(/^gcp-central: \d+ offerings? priced 7h ago \(2026-12-01T00:00:00\.000Z\), older than 6h; budgets and pick use these prices$/);
  });
});
