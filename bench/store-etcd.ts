// The etcd backend's figures on a real etcd (started here, its own): creates one at a time and 16
// in flight, get+updateStatus, a list, watch latency from a write in one store to the handler of
// another, and a fresh process's list+sync of everything and what holding it costs (RSS, heap).
//   npm run bench:store (all backends), or npx tsx bench/store-etcd.ts [COUNT] (this one)
import { fileURLToPath } from 'node:url';
import { pino } from 'pino';
import type { Machine } from '../api/index.js';
import { openEtcdStore, type EtcdStore } from '../runtime/store/etcd/index.js';
import { startEtcdCluster } from '../test/etcd/etcd-cluster.js';
import type { Figure } from './store-file.js';
import { concurrently } from './concurrently.js';
import { heldFigures, measureHeld, reportHeld } from './held-memory.js';

const NAMESPACE = 'default';
const POOLS = 100;
const IN_FLIGHT = 16;
const SEQUENTIAL = 500;
const WATCHED = 200;
const logger = pino({ level: 'warn' });

const machine = (i: number): Machine & { kind: 'Machine' } => ({
  apiVersion: 'polyfleet.io/v1alpha1',
  kind: 'Machine',
  metadata: { name: `workers-${String(i)}`, namespace: NAMESPACE, labels: { 'polyfleet.io/pool': `pool-${String(i % POOLS)}` } },
  spec: { pool: `pool-${String(i % POOLS)}`, provider: 'aws-east', providerType: 'aws', region: 'us-east-1', zone: 'us-east-1a', instanceType: 't3.small', slot: Math.floor(i / POOLS), failureDomain: 'aws-east/us-east-1/us-east-1a' },
});

/** Starts etcd, writes `count` Machines (and a few hundred more), and measures each operation. */
export async function benchEtcdStore(count = 10_000): Promise<Figure[]> {
  const etcd = await startEtcdCluster();
  const endpoints = etcd.hosts.split(',');
  const stores: EtcdStore[] = [];
  const open = async (): Promise<EtcdStore> => {
    const store = await openEtcdStore({ endpoints, logger });
    stores.push(store);
    return store;
  };
  try {
    const store = await open();
    const sequentialMs = await concurrently(SEQUENTIAL, 1, async (i) => { await store.create(machine(count + i)); });
    const parallelMs = await concurrently(count, IN_FLIGHT, async (i) => { await store.create(machine(i)); });
    const statusMs = await concurrently(SEQUENTIAL, 1, async (i) => {
      const m = await store.get('Machine', { namespace: NAMESPACE, name: `workers-${String(i)}` });
      if (m === undefined) throw new Error(`workers-${String(i)} is missing`);
      await store.updateStatus({ ...m, kind: 'Machine', status: { phase: 'Provisioning' } });
    });
    const listStarted = performance.now();
    const listed = await store.list('Machine', { labelSelector: 'polyfleet.io/pool=pool-7' });
    const listMs = performance.now() - listStarted;
    const syncStarted = performance.now();
    const watcher = await open();
    const syncMs = performance.now() - syncStarted;
    const latencies = await watchLatencies(store, watcher, count + SEQUENTIAL);
    const held = measureHeld(fileURLToPath(import.meta.url), ['--hold', etcd.hosts], count + SEQUENTIAL + WATCHED);
    const n = count.toLocaleString('en');
    const rate = (ops: number, ms: number): string => `${Math.round((ops / ms) * 1000)}/s`;
    return [
      { what: `create ${String(SEQUENTIAL)} Machines one at a time`, value: rate(SEQUENTIAL, sequentialMs) },
      { what: `create ${n} Machines, ${String(IN_FLIGHT)} in flight`, value: `${(parallelMs / 1000).toFixed(1)} s (${rate(count, parallelMs)})` },
      { what: `get + updateStatus, one at a time`, value: rate(SEQUENTIAL, statusMs) },
      { what: `list one pool's ${String(listed.length)} Machines of ${n}`, value: `${listMs.toFixed(1)} ms` },
      { what: `open a second store: list + watch of ${n}`, value: `${syncMs.toFixed(0)} ms` },
      { what: `watch latency, write in one store to handler of another (p50 / p99 of ${String(WATCHED)})`, value: `${percentile(latencies, 0.5).toFixed(1)} / ${percentile(latencies, 0.99).toFixed(1)} ms` },
      { what: `a fresh process: open + list of ${(count + SEQUENTIAL + WATCHED).toLocaleString('en')} Machines`, value: `${held.syncMs.toFixed(0)} ms` },
      ...heldFigures(held, count + SEQUENTIAL + WATCHED, 'that process'),
    ];
  } finally {
    await Promise.all(stores.map((s) => s.close()));
    await etcd.stop();
  }
}

async function watchLatencies(writer: EtcdStore, watcher: EtcdStore, from: number): Promise<number[]> {
  const started = new Map<string, number>();
  const latencies: number[] = [];
  let done = (): void => undefined;
  const all = new Promise<void>((resolve) => { done = resolve; });
  const watch = watcher.watch('Machine', (e) => {
    const at = started.get(e.object.metadata.name);
    if (e.type !== 'ADDED' || at === undefined) return;
    latencies.push(performance.now() - at);
    if (latencies.length === WATCHED) done();
  });
  await watch.synced;
  for (let i = 0; i < WATCHED; i++) {
    const m = machine(from + i);
    started.set(m.metadata.name, performance.now());
    await writer.create(m);
  }
  await all;
  watch.stop();
  return latencies;
}

function percentile(values: readonly number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] ?? Number.NaN;
}

if (process.argv[1] === fileURLToPath(import.meta.url) && process.argv[2] === '--hold') {
  const hosts = process.argv[3] ?? '';
  await reportHeld(() => openEtcdStore({ endpoints: hosts.split(','), logger }));
} else if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const figures = await benchEtcdStore(Number(process.argv[2] ?? 10_000));
  const width = Math.max(...figures.map((f) => f.what.length));
  process.stdout.write(`etcd backend (runtime/store/etcd) on a real etcd\n${figures.map((f) => `  ${f.what.padEnd(width)}  ${f.value}`).join('\n')}\n`);
}
