// The NodePool controller with the Machine controller on the real API server: the Machines it
// writes (labels, annotations, owner) and the status it writes (conditions, per-domain counts,
// status.plan) are accepted by the CRDs as written; a pool spread over 3 accounts in groups of 3
// comes up Ready; deleting it terminates every instance before the objects go.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { API_VERSION, type Condition, type NodePoolSpec } from '../../api/index.js';
import { machineController } from '../../controllers/machine/index.js';
import { nodePoolController } from '../../controllers/nodepool/index.js';
import { createOfferingCatalog } from '../../controllers/offerings/index.js';
import { createProviderResolver, noCredentials, OfferingBackoff, type ControllerDeps } from '../../controllers/shared/index.js';
import { SimProvider } from '../../providers/sim/index.js';
import { systemClock } from '../../runtime/clock.js';
import { Manager } from '../../runtime/manager/index.js';
import { KubeStore } from '../../runtime/store/kube/index.js';
import { applyCrds, createNamespace, eventually, loadKubeConfig } from './cluster.js';

const kubeConfig = loadKubeConfig();
const logger = pino({ level: 'warn' });
const MANAGED_BY = 'polyfleet-nodepool-it';
const ACCOUNTS = ['sim-a', 'sim-b', 'sim-c'];

const condition = (list: readonly Condition[] | undefined, type: string) => list?.find((c) => c.type === type);

describe('NodePool controller on the real API server', () => {
  const simDir = mkdtempSync(join(tmpdir(), 'polyfleet-nodepool-it-'));
  const store = new KubeStore({ kubeConfig, logger });
  const deps: ControllerDeps = {
    store,
    clock: systemClock,
    managedBy: MANAGED_BY,
    backoff: new OfferingBackoff(systemClock),
    recorder: { record() {} },
    providers: createProviderResolver(noCredentials, { simDir }),
    catalog: createOfferingCatalog(systemClock),
  };
  let namespace = '';
  let manager: Manager;

  const pool = (name: string, spec: Partial<NodePoolSpec>) =>
    store.create({
      apiVersion: API_VERSION,
      kind: 'NodePool',
      metadata: { name, namespace },
      spec: { replicas: 1, redundancy: '1:1', strategyRef: { name: 'spread' }, template: {}, disruption: { maxUnavailable: 1 }, readyTimeoutSeconds: 900, remediation: { maxUnhealthy: '40%', windowSeconds: 600 }, dryRun: false, paused: false, ...spec },
    });
  const runningInstances = async () => {
    const lists = await Promise.all(ACCOUNTS.map((account) => new SimProvider({ account, dir: simDir }).list({ managedBy: MANAGED_BY, namespace })));
    return lists.flat().filter((i) => i.state === 'running' || i.state === 'pending');
  };

  beforeAll(async () => {
    await applyCrds();
    namespace = await createNamespace(kubeConfig, 'nodepool');
    await store.create({
      apiVersion: API_VERSION,
      kind: 'Strategy',
      metadata: { name: 'spread', namespace },
      spec: {
        pick: 'cheapest',
        providers: ACCOUNTS.map((name) => ({ name, type: 'sim' as const, regions: ['na-east'] })),
        hardware: { minCPU: 1, minMemoryGiB: 0, minDiskGiB: 0 },
        software: { os: 'ubuntu-24.04' },
      },
    });
    await store.create({
      apiVersion: API_VERSION,
      kind: 'PlacementRule',
      metadata: { name: 'accounts', namespace },
      spec: { failureDomains: ['provider', 'region', 'zone'], groupSize: 3, weighting: 'equal' },
    });
    manager = new Manager({ store, log: logger, namespace, shutdownGraceMs: 5_000 });
    manager.register(nodePoolController(deps));
    manager.register(machineController(deps));
    await manager.start();
  }, 90_000);

  afterAll(async () => {
    await manager.stop();
    await store.close();
    rmSync(simDir, { recursive: true, force: true });
  });

  it('brings a pool spread over 3 accounts to Ready, then deletes it without leaving an instance', async () => {
    await pool('workers', { replicas: 6, placementRuleRef: { name: 'accounts' }, template: { labels: { role: 'worker' } } });
    const key = { namespace, name: 'workers' };
    const ready = await eventually(() => store.get('NodePool', key), (p) => condition(p?.status?.conditions, 'Ready')?.status === 'True', 'the pool to be Ready', 60_000);
    expect(ready?.status).toMatchObject({ replicas: 6, readyReplicas: 6, desiredReplicas: 6, selector: 'polyfleet.io/pool=workers' });
    expect(ready?.status?.domains?.reduce((n, d) => n + d.readyReplicas, 0)).toBe(6);
    const machines = (await store.list('Machine', { namespace, labelSelector: 'polyfleet.io/pool=workers,role=worker' })).sort((a, b) => a.spec.slot - b.spec.slot);
    expect(machines.map((m) => m.spec.slot)).toEqual([0, 1, 2, 3, 4, 5]);
    for (const g of [0, 1]) expect(new Set(machines.slice(3 * g, 3 * g + 3).map((m) => m.spec.provider)).size).toBe(3);
    expect(await runningInstances()).toHaveLength(6);
    // Once converged a reconcile writes nothing: the status read back (keys sorted by the API server) equals the one computed.
    const settled = await store.get('NodePool', key);
    await nodePoolController(deps).reconcile({ log: logger, signal: new AbortController().signal, reconcileId: 'it' }, key);
    expect((await store.get('NodePool', key))?.metadata.resourceVersion).toBe(settled?.metadata.resourceVersion);

    await store.delete('NodePool', key);
    await eventually(() => store.get('NodePool', key), (p) => p === undefined, 'the pool to go', 60_000);
    expect(await store.list('Machine', { namespace })).toEqual([]);
    expect(await runningInstances()).toEqual([]);
  }, 120_000);

  it('writes a dryRun plan the CRD accepts, and creates nothing', async () => {
    await pool('planned', { replicas: 3, placementRuleRef: { name: 'accounts' }, dryRun: true });
    const key = { namespace, name: 'planned' };
    const planned = await eventually(() => store.get('NodePool', key), (p) => p?.status?.plan !== undefined, 'the plan', 30_000);
    expect(planned?.status?.plan?.map((n) => n.slot)).toEqual([0, 1, 2]);
    expect(new Set(planned?.status?.plan?.map((n) => n.provider)).size).toBe(3);
    expect(condition(planned?.status?.conditions, 'Ready')).toMatchObject({ status: 'False', reason: 'DryRun' });
    expect(await store.list('Machine', { namespace, labelSelector: 'polyfleet.io/pool=planned' })).toEqual([]);
  }, 60_000);
});
