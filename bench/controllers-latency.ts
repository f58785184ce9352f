// NodePool change → first provider call: bump a pool's replicas by one, time until the Machine
// controller's `create` for it begins; one change at a time, each after the previous create returned.
import { isConflict, type Store } from '../runtime/store/index.js';
import type { CreateObserver } from './controllers-provider.js';
import { benchPool, NS, startWorld, waitFor } from './controllers-world.js';

export interface LatencyFigures {
  readonly changes: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly maxMs: number;
}

const POOL = 'bench-latency';

export async function benchChangeToCreate(changes: number): Promise<LatencyFigures> {
  let started = 0;
  let returned = 0;
  let lastStartMs = Number.NaN;
  const observer: CreateObserver = {
    onCreateStarted(_pool, atMs) {
      started++;
      lastStartMs = atMs;
    },
    onCreateReturned() {
      returned++;
    },
  };
  const world = await startWorld({ createCallMs: 0, readyMs: 0, observer });
  try {
    await world.store.create(benchPool(POOL, 1));
    await waitFor('the first create', () => Promise.resolve(returned >= 1), 60_000, 5);
    const latencies: number[] = [];
    for (let i = 1; i <= changes; i++) {
      const changedAt = await scaleTo(world.store, i + 1);
      await waitFor(`create number ${i + 1}`, () => Promise.resolve(started > i && returned > i), 60_000, 1);
      latencies.push(lastStartMs - changedAt);
    }
    return summarize(latencies);
  } finally {
    await world.close();
  }
}

/**
 * Sets the pool's replicas; returns when the write that did it began. The controller writes the
 * pool's status meanwhile, so a write may meet a newer pool: read it again, as kubectl scale does.
 */
async function scaleTo(store: Store, replicas: number): Promise<number> {
  for (;;) {
    const pool = await store.get('NodePool', { namespace: NS, name: POOL });
    if (pool === undefined) throw new Error(`NodePool ${POOL} vanished during the bench`);
    const changedAt = performance.now();
    try {
      await store.update({ ...pool, kind: 'NodePool', spec: { ...pool.spec, replicas } });
      return changedAt;
    } catch (err) {
      if (!isConflict(err)) throw err;
    }
  }
}

function summarize(latencies: readonly number[]): LatencyFigures {
  const sorted = [...latencies].sort((a, b) => a - b);
  const at = (q: number): number => sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)] ?? Number.NaN;
  return { changes: sorted.length, p50Ms: at(0.5), p99Ms: at(0.99), maxMs: sorted.at(-1) ?? Number.NaN };
}
