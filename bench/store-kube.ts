// The kube backend's figures: 10,000 Machines created on a real kube-apiserver (started here, its
// own), then one informer process lists and syncs them; its RSS and heap are what holding them costs.
//   npm run bench:store (all backends), or npx tsx bench/store-kube.ts [COUNT] (this one)
import { fileURLToPath } from 'node:url';
import { pino } from 'pino';
import type { Machine } from '../api/index.js';
import { KubeStore } from '../runtime/store/kube/index.js';
import { startEnvtest } from '../test/envtest/harness.js';
import { applyCrds, loadKubeConfig } from '../test/integration/cluster.js';
import type { Figure } from './store-file.js';
import { concurrently } from './concurrently.js';
import { heldFigures, measureHeld, reportHeld } from './held-memory.js';

const NAMESPACE = 'default';
const IN_FLIGHT = 20;
const POOLS = 100;

const machine = (i: number): Machine => ({
  apiVersion: 'polyfleet.io/v1alpha1',
  kind: 'Machine',
  metadata: {
    name: `workers-${i}`,
    namespace: NAMESPACE,
    labels: { 'polyfleet.io/pool': `pool-${i % POOLS}`, 'polyfleet.io/managed-by': 'polyfleet' },
    ownerReferences: [{ apiVersion: 'polyfleet.io/v1alpha1', kind: 'NodePool', name: `pool-${i % POOLS}`, uid: `00000000-0000-0000-0000-${String(i % POOLS).padStart(12, '0')}`, controller: true }],
  },
  spec: { pool: `pool-${i % POOLS}`, provider: 'aws-east', providerType: 'aws', region: 'us-east-1', zone: 'us-east-1a', instanceType: 't3.small', slot: Math.floor(i / POOLS), failureDomain: 'aws-east/us-east-1/us-east-1a' },
});

/** Starts an envtest, creates `count` Machines, and measures an informer process syncing them. */
export async function benchKubeStore(count = 10_000): Promise<Figure[]> {
  const envtest = await startEnvtest();
  try {
    process.env.KUBECONFIG = envtest.kubeconfigPath; // for kubectl
    await applyCrds(envtest.kubeconfigPath);
    const store = new KubeStore({ kubeConfig: loadKubeConfig(envtest.kubeconfigPath), logger: pino({ level: 'warn' }) });
    const createMs = await concurrently(count, IN_FLIGHT, async (i) => {
      await store.create(machine(i));
    });
    await store.close();
    const informer = measureHeld(fileURLToPath(import.meta.url), ['--informer', envtest.kubeconfigPath], count);
    const n = count.toLocaleString('en');
    return [
      { what: `create ${n} Machines, ${IN_FLIGHT} in flight`, value: `${(createMs / 1000).toFixed(1)} s (${Math.round((count / createMs) * 1000)}/s)` },
      { what: `informer list+sync of ${n} Machines`, value: `${informer.syncMs.toFixed(0)} ms` },
      ...heldFigures(informer, count, 'the informer process'),
    ];
  } finally {
    await envtest.stop();
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  if (process.argv[2] === '--informer') {
    const kubeconfigPath = process.argv[3] ?? '';
    await reportHeld(() => new KubeStore({ kubeConfig: loadKubeConfig(kubeconfigPath), logger: pino({ level: 'warn' }) }));
  } else {
    const count = Number(process.argv[2] ?? 10_000);
    const figures = await benchKubeStore(count);
    const width = Math.max(...figures.map((f) => f.what.length));
    process.stdout.write(`kube backend (runtime/store/kube) on a real kube-apiserver\n${figures.map((f) => `  ${f.what.padEnd(width)}  ${f.value}`).join('\n')}\n`);
  }
}
