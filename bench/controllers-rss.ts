// RSS of a process running every controller over a file store holding `pools` × `perPool` Machines,
// all created by the controllers themselves (through the sim) and Running, so every cache holds them.
import { listReadOnly } from '../runtime/store/index.js';
import { benchPool, NS, startWorld, waitFor } from './controllers-world.js';

export interface RssFigures {
  readonly machines: number;
  readonly pools: number;
  readonly convergeMs: number;
  readonly baselineRss: number;
  readonly rss: number;
  readonly heap: number;
}

const noCreates = { onCreateStarted: () => undefined, onCreateReturned: () => undefined };

export async function holdFileBackend(pools: number, perPool: number): Promise<RssFigures> {
  const gc = (globalThis as { gc?: () => void }).gc ?? (() => undefined);
  gc();
  const baselineRss = process.memoryUsage().rss;
  const world = await startWorld({ createCallMs: 0, readyMs: 0, observer: noCreates });
  try {
    const started = performance.now();
    for (let p = 0; p < pools; p++) await world.store.create(benchPool(`bench-rss-${p}`, perPool));
    const machines = pools * perPool;
    await waitFor(`${machines} Running Machines`, async () => (await listReadOnly(world.store, 'Machine', { namespace: NS })).filter((m) => m.status?.phase === 'Running').length >= machines, 1_800_000, 1_000);
    const convergeMs = performance.now() - started;
    gc();
    const held = process.memoryUsage();
    return { machines, pools, convergeMs, baselineRss, rss: held.rss, heap: held.heapUsed };
  } finally {
    await world.close();
  }
}
