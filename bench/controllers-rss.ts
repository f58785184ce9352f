// RSS of a process running every controller over a file store holding `pools` × `perPool` Machines,
// all created by the controllers themselves (through the sim, its pools spread over 3 sim accounts ×
// 2 regions) and Running, so every cache holds them. Then, with nothing changing, what the process
// does over a measured idle window — cloud calls (polyfleet_provider_requests_total), store writes
// (polyfleet_store_requests_total, and Events), reconciles and CPU — and, stopped and started again on
// the same state, how long from opening the store to the first reconcile.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { setTimeout as delay } from 'node:timers/promises';
import type { Registry } from 'prom-client';
import { listReadOnly } from '../runtime/store/index.js';
import { heapSnapshot, printHeapSpaces, startAllocationProfile, startCpuProfile } from './controllers-diagnostics.js';
import { benchPool, NS, spreadStrategyFor, startWorld, waitFor, type World } from './controllers-world.js';

export interface IdleFigures {
  readonly windowMs: number;
  /** Cloud calls in the window, by op ("list", "describe", ...). */
  readonly calls: Readonly<Record<string, number>>;
  readonly callsPerMinute: number;
  /** Store writes (create, update, patch, updateStatus, delete) in the window, by "verb kind". */
  readonly writes: Readonly<Record<string, number>>;
  readonly eventWrites: number;
  readonly writesPerMinute: number;
  /** Reconciles in the window, by controller. */
  readonly reconciles: Readonly<Record<string, number>>;
  /** CPU time (user + system) over the window's wall time, in % of one core. */
  readonly cpuPercent: number;
}

export interface RssFigures {
  readonly machines: number;
  readonly pools: number;
  readonly accountRegions: number;
  readonly convergeMs: number;
  readonly baselineRss: number;
  /** Right after convergence. */
  readonly rss: number;
  readonly heap: number;
  /** After the idle window: the steady state's. */
  readonly idleRss: number;
  readonly idleHeap: number;
  readonly idle: IdleFigures;
  /** Restarted on the same state: opening the store (loading every object) → the first reconcile. */
  readonly openToFirstReconcileMs: number;
  /** Restarted: Manager.start() → the first reconcile (informer-equivalent sync included). */
  readonly startToFirstReconcileMs: number;
}

const noCreates = { onCreateStarted: () => undefined, onCreateReturned: () => undefined };
const WRITE_VERBS = new Set(['create', 'update', 'patch', 'updateStatus', 'delete']);

export interface HoldOptions {
  readonly pools: number;
  readonly perPool: number;
  /** Let the converged fleet settle this long before the window (pool statuses, the first listings). */
  readonly settleMs: number;
  readonly windowMs: number;
}

export async function holdFileBackend(options: HoldOptions): Promise<RssFigures> {
  const { pools, perPool } = options;
  const gc = (globalThis as { gc?: () => void }).gc ?? (() => undefined);
  gc();
  const baselineRss = process.memoryUsage().rss;
  const dir = mkdtempSync(join(tmpdir(), 'polyfleet-bench-controllers-'));
  try {
    const world = await startWorld({ createCallMs: 0, readyMs: 0, observer: noCreates, dir, spread: true });
    let converged: Omit<RssFigures, 'openToFirstReconcileMs' | 'startToFirstReconcileMs'>;
    try {
      const started = performance.now();
      for (let p = 0; p < pools; p++) await world.store.create(benchPool(`bench-rss-${p}`, perPool, spreadStrategyFor(p)));
      const machines = pools * perPool;
      await waitFor(`${machines} Running Machines`, async () => (await listReadOnly(world.store, 'Machine', { namespace: NS })).filter((m) => m.status?.phase === 'Running').length >= machines, 1_800_000, 1_000);
      const convergeMs = performance.now() - started;
      gc();
      const held = process.memoryUsage();
      heapSnapshot('file-converged');
      await delay(options.settleMs);
      const idle = await measureIdle(world, options.windowMs);
      gc();
      const after = process.memoryUsage();
      printHeapSpaces();
      heapSnapshot('file-idle');
      converged = { machines, pools, accountRegions: Math.min(pools, 6), convergeMs, baselineRss, rss: held.rss, heap: held.heapUsed, idleRss: after.rss, idleHeap: after.heapUsed, idle };
    } finally {
      await world.close();
    }
    const again = await startWorld({ createCallMs: 0, readyMs: 0, observer: noCreates, dir, spread: true });
    try {
      await waitFor('the first reconcile after a restart', () => Promise.resolve(again.firstReconcileAtMs() !== undefined), 600_000, 1);
      const first = again.firstReconcileAtMs() ?? Number.NaN;
      return { ...converged, openToFirstReconcileMs: first - again.openedAtMs, startToFirstReconcileMs: first - again.startedAtMs };
    } finally {
      await again.close();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function measureIdle(world: World, windowMs: number): Promise<IdleFigures> {
  const registry = world.metrics.registry;
  const callsBefore = await counter(registry, 'polyfleet_provider_requests_total', 'op');
  const writesBefore = await counter(registry, 'polyfleet_store_requests_total', 'verb', 'kind');
  const reconcilesBefore = await counter(registry, 'controller_runtime_reconcile_total', 'controller');
  const eventsBefore = world.eventWrites();
  const cpuBefore = process.cpuUsage();
  const stopProfile = await startAllocationProfile();
  const stopCpuProfile = await startCpuProfile();
  const started = performance.now();
  await delay(windowMs);
  const cpu = process.cpuUsage(cpuBefore);
  const elapsed = performance.now() - started;
  await stopCpuProfile();
  await stopProfile();
  const calls = minus(await counter(registry, 'polyfleet_provider_requests_total', 'op'), callsBefore);
  const writes = Object.fromEntries(Object.entries(minus(await counter(registry, 'polyfleet_store_requests_total', 'verb', 'kind'), writesBefore)).filter(([k]) => WRITE_VERBS.has(k.split(' ')[0] ?? '')));
  const reconciles = minus(await counter(registry, 'controller_runtime_reconcile_total', 'controller'), reconcilesBefore);
  const eventWrites = world.eventWrites() - eventsBefore;
  const perMinute = (n: number): number => (n * 60_000) / elapsed;
  return {
    windowMs: elapsed,
    calls,
    callsPerMinute: perMinute(sum(calls)),
    writes,
    eventWrites,
    writesPerMinute: perMinute(sum(writes) + eventWrites),
    reconciles,
    cpuPercent: ((cpu.user + cpu.system) / 1000 / elapsed) * 100,
  };
}

/** A counter's values summed by the given labels (joined with a space). */
async function counter(registry: Registry, name: string, ...labels: string[]): Promise<Record<string, number>> {
  const metric = registry.getSingleMetric(name);
  if (metric === undefined) throw new Error(`the Manager's registry has no ${name}`);
  const out: Record<string, number> = {};
  for (const { labels: values, value } of (await metric.get()).values) {
    const key = labels.map((l) => String(values[l] ?? '')).join(' ');
    out[key] = (out[key] ?? 0) + value;
  }
  return out;
}

function minus(after: Record<string, number>, before: Record<string, number>): Record<string, number> {
  return Object.fromEntries(Object.entries(after).map(([k, v]) => [k, v - (before[k] ?? 0)] as const).filter(([, v]) => v !== 0));
}

function sum(values: Readonly<Record<string, number>>): number {
  return Object.values(values).reduce((a, b) => a + b, 0);
}

// The measured child (bench/controllers.ts starts it, built or through tsx): the figures as JSON, the last line.
if (process.argv[1] === fileURLToPath(import.meta.url) && process.argv[2] === '--hold-file') {
  process.stdout.write(`${JSON.stringify(await holdFileBackend(JSON.parse(process.argv[3] ?? '{}') as HoldOptions))}\n`);
}
