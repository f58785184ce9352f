// Two managers on the real API server, each with its own kube store and a Lease elector on one
// Lease: both sync and are ready, only the leader reconciles, and when it stops the other takes
// over and reconciles what changed meanwhile; a Strategy change reaches NodePools through the
// mapped watch and a Machine change reaches its owner.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { pino } from 'pino';
import { KubeLeaseClient, LeaseElector } from '../../runtime/leader/index.js';
import { Manager, mapKind } from '../../runtime/manager/index.js';
import { createMetrics, instrumentStore } from '../../runtime/metrics/index.js';
import { KubeStore } from '../../runtime/store/kube/index.js';
import type { Store } from '../../runtime/store/index.js';
import { testMachine, testNodePool, testStrategy } from '../../runtime/testing/objects.js';
import { applyCrds, createNamespace, eventually, loadKubeConfig } from './cluster.js';

const kubeConfig = loadKubeConfig();
const logger = pino({ level: 'warn' });

interface Replica {
  readonly identity: string;
  readonly store: Store;
  readonly manager: Manager;
  readonly url: string;
  readonly seen: string[];
}

async function startReplica(namespace: string, identity: string): Promise<Replica> {
  const metrics = createMetrics();
  const kubeStore = new KubeStore({ kubeConfig, logger });
  const store = instrumentStore(kubeStore, 'kube', metrics.store);
  const elector = new LeaseElector({
    client: new KubeLeaseClient(kubeConfig, namespace, 'polyfleet-manager'),
    logger,
    identity,
    leaseDurationSeconds: 4,
    renewDeadlineMs: 3_000,
    retryPeriodMs: 500,
  });
  const manager = new Manager({ store, log: logger, metrics, elector, namespace, shutdownGraceMs: 5_000 });
  const seen: string[] = [];
  manager.register({
    name: 'nodepool',
    kind: 'NodePool',
    reconcile: async (_ctx, key) => {
      await store.get('NodePool', key);
      seen.push(key.name);
      return {};
    },
    owns: ['Machine'],
    watches: [
      mapKind('Strategy', async (strategy) =>
        (await store.list('NodePool', { namespace }))
          .filter((p) => p.spec.strategyRef.name === strategy.metadata.name)
          .map((p) => ({ namespace, name: p.metadata.name })),
      ),
    ],
  });
  const server = await manager.listen({ port: 0 });
  await manager.start();
  return { identity, store, manager, url: server.url, seen };
}

async function readyz(url: string): Promise<number> {
  return (await fetch(`${url}/readyz`)).status;
}

describe('Manager on the real API server', () => {
  let namespace: string;
  const replicas: Replica[] = [];

  beforeAll(async () => {
    await applyCrds();
    namespace = await createNamespace(kubeConfig, 'manager');
  }, 90_000);

  afterAll(async () => {
    for (const replica of replicas) {
      await replica.manager.stop();
      await replica.store.close();
    }
  });

  it('only the leader reconciles; its successor takes over and misses nothing', async () => {
    const writer = new KubeStore({ kubeConfig, logger });
    const strategy = await writer.create(testStrategy(namespace, 'cheap'));
    const a = await writer.create(testNodePool(namespace, 'a', 'cheap'));
    await writer.create(testNodePool(namespace, 'b', 'other'));

    replicas.push(await startReplica(namespace, 'replica-1'), await startReplica(namespace, 'replica-2'));
    for (const replica of replicas) expect(await readyz(replica.url)).toBe(200);
    await eventually(() => replicas.filter((r) => r.seen.includes('a') && r.seen.includes('b')), (rs) => rs.length === 1, 'one replica reconciling both pools');
    const leader = replicas.find((r) => r.seen.length > 0);
    const follower = replicas.find((r) => r !== leader);
    if (!leader || !follower) throw new Error('expected one leader and one follower');
    expect(follower.seen).toEqual([]);

    const metrics = await (await fetch(`${leader.url}/metrics`)).text();
    expect(metrics).toMatch(/controller_runtime_reconcile_total\{controller="nodepool",result="success"\} [1-9]/);
    expect(metrics).toMatch(/polyfleet_store_requests_total\{backend="kube",verb="get",kind="NodePool",code="OK"\} [1-9]/);
    expect(metrics).toContain('polyfleet_store_unreadable_objects{kind="Machine"} 0');

    leader.seen.splice(0);
    await writer.create(testMachine(a, 'a-0'));
    await eventually(() => leader.seen, (s) => s.includes('a'), 'the owner of a new Machine reconciled');
    await writer.update({ ...strategy, metadata: { ...strategy.metadata, labels: { tier: 'gold' } } });
    await eventually(() => leader.seen, (s) => s.filter((n) => n === 'a').length >= 2, 'the NodePool of a changed Strategy reconciled');
    expect(leader.seen).not.toContain('b');

    await leader.manager.stop();
    expect(await leader.manager.done).toBe('shutdown');
    await writer.create(testNodePool(namespace, 'c', 'cheap'));
    await eventually(() => follower.seen, (s) => ['a', 'b', 'c'].every((n) => s.includes(n)), 'the successor reconciling every pool', 30_000);
    await writer.close();

    // A cache that no longer follows the API server is no ready manager.
    expect(await readyz(follower.url)).toBe(200);
    await follower.store.close();
    expect(await readyz(follower.url)).toBe(503);
    expect(await (await fetch(`${follower.url}/readyz`)).text()).toContain('[-]caches-synced failed: watch of NodePool: the NodePool informer is stopped');
  }, 90_000);
});
