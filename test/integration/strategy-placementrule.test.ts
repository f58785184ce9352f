// The Strategy and PlacementRule controllers on the real API server: the status they write is
// accepted by the CRDs as written (offerings, conditions, domains), and a NodePool naming a rule
// brings the rule's domains in through the mapped watch alone.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { API_VERSION } from '../../api/index.js';
import type { Condition, PlacementRuleSpec, StrategySpec } from '../../api/index.js';
import { createOfferingCatalog } from '../../controllers/offerings/index.js';
import { placementRuleController, reconcilePlacementRule } from '../../controllers/placementrule/index.js';
import { createProviderResolver, noCredentials, OfferingBackoff } from '../../controllers/shared/index.js';
import type { ControllerDeps } from '../../controllers/shared/index.js';
import { reconcileStrategy, strategyController } from '../../controllers/strategy/index.js';
import { systemClock } from '../../runtime/clock.js';
import { Manager } from '../../runtime/manager/index.js';
import { KubeStore } from '../../runtime/store/kube/index.js';
import { testNodePool } from '../../runtime/testing/objects.js';
import { applyCrds, createNamespace, eventually, loadKubeConfig } from './cluster.js';

const kubeConfig = loadKubeConfig();
const logger = pino({ level: 'warn' });
const EU_SPREAD = { providers: [{ name: 'sim-a', type: 'sim' }, { name: 'sim-b', type: 'sim' }], geolocation: { continents: ['EU'] } } as const;

const condition = (list: readonly Condition[] | undefined, type: string) => list?.find((c) => c.type === type);

describe('Strategy and PlacementRule controllers on the real API server', () => {
  const simDir = mkdtempSync(join(tmpdir(), 'polyfleet-strategy-it-'));
  const store = new KubeStore({ kubeConfig, logger });
  const deps: ControllerDeps = {
    store,
    clock: systemClock,
    managedBy: 'polyfleet-strategy-it',
    backoff: new OfferingBackoff(systemClock),
    recorder: { record() {} },
    providers: createProviderResolver(noCredentials, { simDir }),
    catalog: createOfferingCatalog(systemClock),
  };
  let namespace = '';
  let manager: Manager;

  const strategy = (name: string, spec: Partial<StrategySpec> | typeof EU_SPREAD) =>
    store.create({ apiVersion: API_VERSION, kind: 'Strategy', metadata: { name, namespace }, spec: { pick: 'cheapest', hardware: { minCPU: 1, minMemoryGiB: 0, minDiskGiB: 0 }, software: { os: 'ubuntu-24.04' }, ...spec } as StrategySpec });
  const rule = (name: string, spec: Partial<PlacementRuleSpec>) =>
    store.create({ apiVersion: API_VERSION, kind: 'PlacementRule', metadata: { name, namespace }, spec: { failureDomains: ['provider', 'region', 'zone'], groupSize: 1, weighting: 'equal', ...spec } });

  beforeAll(async () => {
    await applyCrds();
    namespace = await createNamespace(kubeConfig, 'strategy');
    manager = new Manager({ store, log: logger, namespace, shutdownGraceMs: 5_000 });
    manager.register(strategyController(deps));
    manager.register(placementRuleController(deps));
    await manager.start();
  }, 90_000);

  afterAll(async () => {
    await manager.stop();
    await store.close();
    rmSync(simDir, { recursive: true, force: true });
  });

  it('resolves a Strategy into status.offerings the CRD accepts', async () => {
    await strategy('eu', EU_SPREAD);
    const s = await eventually(() => store.get('Strategy', { namespace, name: 'eu' }), (x) => x?.status?.offeringCount !== undefined, 'the Strategy to resolve');
    expect(s?.status?.offeringCount).toBe(30);
    expect(s?.status?.offerings).toHaveLength(30);
    expect(s?.status?.offerings?.every((o) => o.region === 'eu-central' && o.image === 'sim-img-ubuntu-24.04-eu-central')).toBe(true);
    expect(condition(s?.status?.conditions, 'Ready')).toMatchObject({ status: 'True', reason: 'OfferingsResolved' });
    // Status read back from the API server must compare equal to what a reconcile computes, or
    // every write's watch event would cause another write.
    const ctx = { log: logger, signal: new AbortController().signal, reconcileId: 'it' };
    await reconcileStrategy(deps, ctx, { namespace, name: 'eu' });
    expect((await store.get('Strategy', { namespace, name: 'eu' }))?.metadata.resourceVersion).toBe(s?.metadata.resourceVersion);
  }, 30_000);

  it('says which filter left a Strategy with no offerings', async () => {
    await strategy('too-cheap', { providers: [{ name: 'sim-a', type: 'sim' }], budget: { maxHourlyPerNode: '0.001' } });
    const s = await eventually(() => store.get('Strategy', { namespace, name: 'too-cheap' }), (x) => x?.status?.conditions !== undefined, 'the Strategy to resolve');
    expect(condition(s?.status?.conditions, 'NoOfferings')).toMatchObject({ status: 'True', reason: 'NoOfferings', message: expect.stringContaining('0 after maxHourlyPerNode 0.001') });
  }, 30_000);

  it('compiles a rule, and picks up the domains of a pool that starts using it', async () => {
    await rule('spread', { weighting: 'inversePrice' });
    const key = { namespace, name: 'spread' };
    const unused = await eventually(() => store.get('PlacementRule', key), (r) => r?.status?.conditions !== undefined, 'the rule to compile');
    expect(unused?.status?.domainCount).toBe(0);
    expect(condition(unused?.status?.conditions, 'Ready')?.message).toContain('not used by any NodePool');

    const pool = testNodePool(namespace, 'workers', 'eu');
    await store.create({ ...pool, spec: { ...pool.spec, placementRuleRef: { name: 'spread' } } });
    const used = await eventually(() => store.get('PlacementRule', key), (r) => r?.status?.domainCount === 6, 'the rule to list the pool\'s domains');
    const weights = used?.status?.domains?.map((d) => d.weight) ?? [];
    expect(Math.max(...weights)).toBe(1);
    expect(condition(used?.status?.conditions, 'Ready')).toMatchObject({ status: 'True', reason: 'Compiled' });
    await reconcilePlacementRule(deps, { log: logger, signal: new AbortController().signal, reconcileId: 'it' }, key);
    expect((await store.get('PlacementRule', key))?.metadata.resourceVersion).toBe(used?.metadata.resourceVersion);
  }, 30_000);

  it('reports an unsupported level as InvalidSpec', async () => {
    await rule('racks', { failureDomains: ['provider', 'rack'] });
    const r = await eventually(() => store.get('PlacementRule', { namespace, name: 'racks' }), (x) => x?.status?.conditions !== undefined, 'the rule to be checked');
    expect(condition(r?.status?.conditions, 'InvalidSpec')).toMatchObject({ status: 'True', reason: 'UnsupportedLevel', message: expect.stringContaining('"rack"') });
  }, 30_000);
});
