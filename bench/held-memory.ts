// What holding every Machine costs a process that only reads them: measured in a fresh process (run
// with --expose-gc) so nothing of the writing side counts. Shared by the kube and etcd benches.
import { execFileSync } from 'node:child_process';
import type { Figure } from './store-file.js';

export interface HeldFigures {
  objects: number;
  syncMs: number;
  baselineRss: number;
  rss: number;
  baselineHeap: number;
  heap: number;
}

/** Runs `script` with `args` in a fresh process that calls `reportHeld`; fails unless it held `count`. */
export function measureHeld(script: string, args: readonly string[], count: number): HeldFigures {
  const out = execFileSync(process.execPath, ['--expose-gc', '--import', 'tsx', script, ...args], { encoding: 'utf8' });
  const figures = JSON.parse(out.trim().split('\n').at(-1) ?? '{}') as HeldFigures;
  if (figures.objects !== count) throw new Error(`the fresh process held ${String(figures.objects)} Machines, not ${String(count)}`);
  return figures;
}

/** In the fresh process: opens a store with `open`, lists every Machine, and prints what holding them costs. */
export async function reportHeld<S extends { list(kind: 'Machine'): Promise<unknown[]>; close(): Promise<void> }>(open: () => Promise<S> | S): Promise<void> {
  const gc = (globalThis as { gc?: () => void }).gc ?? (() => undefined);
  gc();
  const baseline = process.memoryUsage();
  const started = performance.now();
  const store = await open();
  const machines = await store.list('Machine');
  const syncMs = performance.now() - started;
  const objects = machines.length;
  machines.length = 0; // the copies list() handed out are not what the store holds
  gc();
  const held = process.memoryUsage();
  await store.close();
  const figures: HeldFigures = { objects, syncMs, baselineRss: baseline.rss, rss: held.rss, baselineHeap: baseline.heapUsed, heap: held.heapUsed };
  process.stdout.write(`${JSON.stringify(figures)}\n`);
}

/** RSS and heap lines, as every backend prints them. */
export function heldFigures(held: HeldFigures, count: number, holder: string): Figure[] {
  return [
    { what: `RSS of ${holder} holding them`, value: `${megabytes(held.rss)} (before: ${megabytes(held.baselineRss)}, +${megabytes(held.rss - held.baselineRss)})` },
    { what: `JS heap holding them (after GC)`, value: `${megabytes(held.heap)} (+${megabytes(held.heap - held.baselineHeap)}, ${String(Math.round((held.heap - held.baselineHeap) / count))} B per Machine)` },
  ];
}

function megabytes(bytes: number): string {
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}
