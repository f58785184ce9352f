// The kube backend's share of the controller bench: 1,000 NodePools and 10,000 Machines created on a
// real kube-apiserver (started here, its own), then a fresh process runs a Manager with every
// controller registered on the kube store; its informers sync them all, it never leads (so nothing
// reconciles against a cloud), and its RSS is what the informer caches cost: taken after an idle
// window, the steady state an operator's `kubectl top` shows, as the file backend's figure is. Right
// after the sync the process still holds the heap the sync grew (V8's young generation at its
// largest, old space not yet compacted); V8's memory reducer gives it back once allocation has been
// low for a while (about 35 s after the sync here), so the window is longer than that.
import { execFileSync } from 'node:child_process';
import { setTimeout as delay } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { pino } from 'pino';
import { API_VERSION, type Machine } from '../api/index.js';
import { buildDeps, registerControllers } from '../controllers/setup.js';
import { Manager } from '../runtime/manager/index.js';
import { KubeStore } from '../runtime/store/kube/index.js';
import { ManualElector } from '../runtime/testing/manual-elector.js';
import { startEnvtest } from '../test/envtest/harness.js';
import { applyCrds, loadKubeConfig } from '../test/integration/cluster.js';
import { nodeArgsFor } from './controllers-build.js';
import { benchPool, benchStrategy, NS } from './controllers-world.js';
import { concurrently } from './concurrently.js';
import { heapSnapshot, printHeapSpaces } from './controllers-diagnostics.js';

const IN_FLIGHT = 20;
/** How long the synced process is left with nothing to do before its RSS is taken. */
export const KUBE_IDLE_WINDOW_MS = 90_000;

export interface KubeRssFigures {
  readonly pools: number;
  readonly machines: number;
  readonly createMs: number;
  readonly syncMs: number;
  readonly baselineRss: number;
  /** Right after the informers synced (and a full GC). */
  readonly syncedRss: number;
  /** After the idle window (and a full GC): the steady state's. */
  readonly rss: number;
  readonly heap: number;
  readonly idleWindowMs: number;
}

/** `holdScript`: this module, as source or built (controllers-build.ts), run with `--hold` in the measured child. */
export async function benchKubeInformers(pools: number, perPool: number, holdScript = fileURLToPath(import.meta.url), idleWindowMs = KUBE_IDLE_WINDOW_MS): Promise<KubeRssFigures> {
  const envtest = await startEnvtest();
  try {
    process.env.KUBECONFIG = envtest.kubeconfigPath; // applyCrds runs kubectl
    await applyCrds(envtest.kubeconfigPath);
    const store = new KubeStore({ kubeConfig: loadKubeConfig(envtest.kubeconfigPath), logger: pino({ level: 'warn' }) });
    const started = performance.now();
    await store.create(benchStrategy());
    const uids: string[] = [];
    await concurrently(pools, IN_FLIGHT, async (p) => {
      uids[p] = (await store.create(benchPool(poolName(p), perPool))).metadata.uid ?? '';
    });
    await concurrently(pools * perPool, IN_FLIGHT, async (i) => {
      await store.create(machine(i % pools, Math.floor(i / pools), uids[i % pools] ?? ''));
    });
    const createMs = performance.now() - started;
    await store.close();
    const out = execFileSync(process.execPath, ['--expose-gc', ...nodeArgsFor(holdScript), '--hold', envtest.kubeconfigPath, String(idleWindowMs)], { encoding: 'utf8' });
    const held = JSON.parse(out.trim().split('\n').at(-1) ?? '{}') as Omit<KubeRssFigures, 'createMs'>;
    return { ...held, createMs };
  } finally {
    await envtest.stop();
  }
}

async function holdInformers(kubeconfigPath: string, idleWindowMs: number): Promise<Omit<KubeRssFigures, 'createMs'>> {
  const gc = (globalThis as { gc?: () => void }).gc ?? (() => undefined);
  gc();
  const baselineRss = process.memoryUsage().rss;
  const log = pino({ level: 'warn' });
  const store = new KubeStore({ kubeConfig: loadKubeConfig(kubeconfigPath), logger: log });
  const manager = new Manager({ store, log, elector: new ManualElector() });
  registerControllers(manager, buildDeps({ store, eventSink: { write: () => Promise.resolve(), list: () => Promise.resolve([]) }, log, managedBy: 'pf-bench' }));
  const started = performance.now();
  await manager.start();
  const syncMs = performance.now() - started;
  const pools = (await store.list('NodePool', { namespace: NS })).length;
  const machines = (await store.list('Machine', { namespace: NS })).length;
  gc();
  const syncedRss = process.memoryUsage().rss;
  heapSnapshot('kube-synced');
  await delay(idleWindowMs);
  gc();
  const { rss, heapUsed } = process.memoryUsage();
  printHeapSpaces();
  heapSnapshot('kube-idle');
  await manager.stop();
  await store.close();
  return { pools, machines, syncMs, baselineRss, syncedRss, rss, heap: heapUsed, idleWindowMs };
}

const poolName = (p: number): string => `bench-kube-${p}`;

function machine(pool: number, slot: number, poolUid: string): Machine & { kind: 'Machine' } {
  return {
    apiVersion: API_VERSION,
    kind: 'Machine',
    metadata: {
      name: `${poolName(pool)}-${slot}`,
      namespace: NS,
      labels: { 'polyfleet.io/pool': poolName(pool), 'polyfleet.io/slot': String(slot), 'polyfleet.io/provider': 'sim-a' },
      ownerReferences: [{ apiVersion: API_VERSION, kind: 'NodePool', name: poolName(pool), uid: poolUid, controller: true }],
    },
    spec: { pool: poolName(pool), provider: 'sim-a', providerType: 'sim', region: 'r1', zone: 'r1a', instanceType: 's1', slot, failureDomain: 'sim-a/r1/r1a' },
  };
}

if (process.argv[1] === fileURLToPath(import.meta.url) && process.argv[2] === '--hold') {
  process.stdout.write(`${JSON.stringify(await holdInformers(process.argv[3] ?? '', Number(process.argv[4] ?? KUBE_IDLE_WINDOW_MS)))}\n`);
}
