// The API server restarts under a running informer: it reconnects (re-listing if its version is
// gone) and a level-triggered controller ends up having seen the final state of every object,
// deletions made while it was disconnected included.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { pino } from 'pino';
import type { NodePool } from '../../api/index.js';
import { KubeStore } from '../../runtime/store/kube/index.js';
import { startEnvtest, type Envtest } from '../envtest/harness.js';
import { applyCrds, createNamespace, eventually, loadKubeConfig } from './cluster.js';

const pool = (namespace: string, name: string, replicas: number): NodePool => ({
  apiVersion: 'polyfleet.io/v1alpha1',
  kind: 'NodePool',
  metadata: { name, namespace },
  spec: {
    replicas,
    redundancy: '1:1',
    strategyRef: { name: 'cheap' },
    template: {},
    disruption: { maxUnavailable: 1 },
    readyTimeoutSeconds: 900,
    remediation: { maxUnhealthy: '40%', windowSeconds: 600 },
    dryRun: false,
    paused: false,
  },
});

/** What a level-triggered controller believes: per name, the replicas it last reconciled, or "absent". */
function levelTriggeredController(store: KubeStore, namespace: string) {
  const believed = new Map<string, number | 'absent'>();
  const failures: unknown[] = [];
  const reconcile = async (name: string): Promise<void> => {
    const current = await store.get('NodePool', { namespace, name });
    believed.set(name, current?.spec.replicas ?? 'absent');
  };
  const watch = store.watch(
    'NodePool',
    (event) => {
      // The event only says which key to look at; the state comes from the store.
      reconcile(event.object.metadata.name).catch((err: unknown) => failures.push(err));
    },
    { namespace },
  );
  return { believed, failures, watch };
}

describe('an informer across a kube-apiserver restart', () => {
  let envtest: Envtest;
  let watched: KubeStore;
  let writer: KubeStore;
  let namespace: string;

  beforeAll(async () => {
    envtest = await startEnvtest();
    await applyCrds(envtest.kubeconfigPath);
    const kubeConfig = loadKubeConfig(envtest.kubeconfigPath);
    namespace = await createNamespace(kubeConfig, 'restart');
    const logger = pino({ level: 'error' });
    watched = new KubeStore({ kubeConfig, logger });
    writer = new KubeStore({ kubeConfig: loadKubeConfig(envtest.kubeconfigPath), logger });
  }, 120_000);

  afterAll(async () => {
    await watched.close();
    await writer.close();
    await envtest.stop();
  });

  it('recovers, and the controller misses nothing', async () => {
    for (let i = 0; i < 6; i++) await writer.create(pool(namespace, `p${i}`, 1));
    const { believed, failures, watch } = levelTriggeredController(watched, namespace);
    await watch.synced;
    await eventually(() => believed.size, (n) => n === 6, 'the six pools before the restart');

    await envtest.restartApiServer();
    // Another client changes the world at once, while the informer is still reconnecting.
    for (const name of ['p0', 'p1']) {
      const current = await writer.patch('NodePool', { namespace, name }, { type: 'merge', patch: { spec: { replicas: 7 } } });
      expect(current.spec.replicas).toBe(7);
    }
    await writer.delete('NodePool', { namespace, name: 'p2' });
    await writer.delete('NodePool', { namespace, name: 'p3' });
    await writer.create(pool(namespace, 'p6', 4));
    await writer.create(pool(namespace, 'p7', 5));

    const truth = { p0: 7, p1: 7, p2: 'absent', p3: 'absent', p4: 1, p5: 1, p6: 4, p7: 5 };
    const final = await eventually(
      () => Object.fromEntries([...believed].sort(([a], [b]) => a.localeCompare(b))),
      (b) => JSON.stringify(b) === JSON.stringify(truth),
      'the controller to believe the final state',
      90_000,
    );
    expect(final).toEqual(truth);
    expect(failures).toEqual([]);
    expect((await watched.list('NodePool', { namespace })).map((p) => p.metadata.name).sort()).toEqual(['p0', 'p1', 'p4', 'p5', 'p6', 'p7']);
    watch.stop();
  }, 180_000);
});
