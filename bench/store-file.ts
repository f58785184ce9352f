import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { pino } from 'pino';
import type { Machine } from '../api/index.js';
import { openFileStore, type FileStore } from '../runtime/store/file/index.js';

/** One printed figure: what was measured and its value with unit. */
export interface Figure {
  readonly what: string;
  readonly value: string;
}

const POOLS = 100;

const machine = (i: number, poolUids: readonly string[]): Machine => ({
  apiVersion: 'polyfleet.io/v1alpha1',
  kind: 'Machine',
  metadata: {
    name: `workers-${i}`,
    namespace: 'default',
    labels: { 'polyfleet.io/pool': `pool-${i % POOLS}`, 'polyfleet.io/managed-by': 'polyfleet' },
    ownerReferences: [{ apiVersion: 'polyfleet.io/v1alpha1', kind: 'NodePool', name: `pool-${i % POOLS}`, uid: poolUids[i % POOLS] ?? '', controller: true }],
  },
  spec: { pool: `pool-${i % POOLS}`, provider: 'aws-east', providerType: 'aws', region: 'us-east-1', zone: 'us-east-1a', instanceType: 't3.small', slot: Math.floor(i / POOLS), failureDomain: 'aws-east/us-east-1/us-east-1a' },
});

/** The file backend's figures with `count` Machines in the state: write and read rates, file size, load time and memory. */
export async function benchFileStore(count = 10_000): Promise<Figure[]> {
  const dir = mkdtempSync(join(tmpdir(), 'polyfleet-bench-'));
  const path = join(dir, 'state.jsonl');
  try {
    const store = await openFileStore({ path, logger: pino({ level: 'silent' }) });
    // Real owners: a Machine whose owners are all gone would be collected at once.
    const poolUids: string[] = [];
    for (let p = 0; p < POOLS; p++) poolUids.push(await createPool(store, p));
    const figures: Figure[] = [];
    const oneByOne = Math.min(count, 2_000);
    const createMs = await timed(oneByOne, async (i) => {
      await store.create(machine(i, poolUids));
    });
    figures.push({ what: `create, acknowledged (fsync'd), one at a time`, value: `${rate(oneByOne, createMs)} writes/s` });
    const concurrentCreateMs = await timedConcurrently(count - oneByOne, 16, async (i) => {
      await store.create(machine(oneByOne + i, poolUids));
    });
    figures.push({ what: 'create, 16 in flight (group commit: one fsync for all waiting)', value: `${rate(count - oneByOne, concurrentCreateMs)} writes/s` });
    const updates = Math.min(count, 2_000);
    const statusMs = await timed(updates, async (i) => {
      const m = await store.get('Machine', { namespace: 'default', name: `workers-${(i * 7919) % count}` });
      if (m) await store.updateStatus({ ...m, status: { phase: 'Running', instanceId: `i-${i}` } });
    });
    figures.push({ what: `get + updateStatus with ${count.toLocaleString('en')} Machines held`, value: `${rate(updates, statusMs)} writes/s` });
    const concurrent = await timedConcurrently(updates, 16, async (i) => {
      const m = await store.get('Machine', { namespace: 'default', name: `workers-${(i * 104729) % count}` });
      if (m) await store.updateStatus({ ...m, status: { phase: 'Running', instanceId: `j-${i}` } });
    });
    figures.push({ what: 'get + updateStatus, 16 in flight', value: `${rate(updates, concurrent)} writes/s` });
    figures.push(...(await readFigures(store, count)));
    figures.push({ what: `state file after ${(count + POOLS + 2 * updates).toLocaleString('en')} writes`, value: megabytes(statSync(path).size) });
    await store.close();
    figures.push(...loadFigures(path, count));
    return figures;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function readFigures(store: FileStore, count: number): Promise<Figure[]> {
  const gets = 200_000;
  const getMs = await timed(gets, async (i) => {
    await store.get('Machine', { namespace: 'default', name: `workers-${(i * 7919) % count}` });
  });
  const lists = 200;
  const byLabelMs = await timed(lists, async (i) => {
    await store.list('Machine', { namespace: 'default', labelSelector: `polyfleet.io/pool=pool-${i % POOLS}` });
  });
  const allMs = await timed(20, async () => {
    await store.list('Machine');
  });
  return [
    { what: 'get', value: `${rate(gets, getMs)} reads/s` },
    { what: `list by label (${count / POOLS} of ${count.toLocaleString('en')})`, value: `${rate(lists, byLabelMs)} lists/s` },
    { what: `list all ${count.toLocaleString('en')}`, value: `${(allMs / 20).toFixed(1)} ms each` },
  ];
}

/** Load time and memory in a fresh process, so nothing of the writes above is counted. */
function loadFigures(path: string, count: number): Figure[] {
  const script = fileURLToPath(new URL('./store-file-load.ts', import.meta.url));
  const out = execFileSync(process.execPath, ['--expose-gc', '--import', 'tsx', script, path], { encoding: 'utf8' });
  const r = JSON.parse(out) as { objects: number; loadMs: number; baselineRss: number; rss: number; baselineHeap: number; heap: number };
  if (r.objects !== count) throw new Error(`the fresh process loaded ${r.objects} Machines, expected ${count}`);
  return [
    { what: `start-up: open and load ${count.toLocaleString('en')} Machines`, value: `${Math.round(r.loadMs)} ms` },
    { what: `RSS holding ${count.toLocaleString('en')} Machines`, value: `${megabytes(r.rss)} (process before opening: ${megabytes(r.baselineRss)}, +${megabytes(r.rss - r.baselineRss)})` },
    { what: `JS heap holding ${count.toLocaleString('en')} Machines`, value: `${megabytes(r.heap)} (+${megabytes(r.heap - r.baselineHeap)})` },
  ];
}

async function createPool(store: FileStore, p: number): Promise<string> {
  const created = await store.create({
    apiVersion: 'polyfleet.io/v1alpha1',
    kind: 'NodePool',
    metadata: { name: `pool-${p}`, namespace: 'default' },
    spec: { replicas: 100, redundancy: '1:1', strategyRef: { name: 'cheap' }, template: {}, disruption: { maxUnavailable: 1 }, readyTimeoutSeconds: 900, remediation: { maxUnhealthy: '40%', windowSeconds: 600 }, dryRun: false, paused: false },
  });
  return created.metadata.uid ?? '';
}

async function timed(n: number, op: (i: number) => Promise<void>): Promise<number> {
  const started = performance.now();
  for (let i = 0; i < n; i++) await op(i);
  return performance.now() - started;
}

async function timedConcurrently(n: number, inFlight: number, op: (i: number) => Promise<void>): Promise<number> {
  const started = performance.now();
  let next = 0;
  await Promise.all(
    Array.from({ length: inFlight }, async () => {
      for (let i = next++; i < n; i = next++) await op(i);
    }),
  );
  return performance.now() - started;
}

function rate(n: number, ms: number): string {
  return Math.round((n / ms) * 1000).toLocaleString('en');
}

function megabytes(bytes: number): string {
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}
