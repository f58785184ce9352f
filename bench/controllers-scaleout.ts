// Scale-out: one pool 0 → N replicas with a create call latency and the Machine controller's own
// concurrency; timed until N creates have returned, and until N Machines are Running.
import type { CreateObserver } from './controllers-provider.js';
import { benchPool, runningMachines, startWorld, waitFor } from './controllers-world.js';

export interface ScaleOutFigures {
  readonly replicas: number;
  readonly createCallMs: number;
  readonly readyMs: number;
  /** From the pool's write to the first create call. */
  readonly firstCreateMs: number;
  /** From the pool's write until `replicas` creates had returned. */
  readonly createsReturnedMs: number;
  /** From the pool's write until `replicas` Machines were Running. */
  readonly allRunningMs: number;
  /** The most creates in flight at once. */
  readonly peakInFlight: number;
}

const POOL = 'bench-scale-out';

export async function benchScaleOut(replicas: number, createCallMs: number, readyMs: number): Promise<ScaleOutFigures> {
  const counts = countingObserver();
  const world = await startWorld({ createCallMs, readyMs, observer: counts.observer });
  try {
    const started = performance.now();
    await world.store.create(benchPool(POOL, replicas));
    await waitFor(`${replicas} returned creates`, () => Promise.resolve(counts.returned() >= replicas), 600_000, 20);
    const createsReturnedMs = counts.lastReturnedMs() - started;
    await waitFor(`${replicas} Running Machines`, async () => (await runningMachines(world.store, POOL)) >= replicas, 600_000, 100);
    const allRunningMs = performance.now() - started;
    return { replicas, createCallMs, readyMs, firstCreateMs: counts.firstStartedMs() - started, createsReturnedMs, allRunningMs, peakInFlight: counts.peakInFlight() };
  } finally {
    await world.close();
  }
}

function countingObserver() {
  let returned = 0;
  let inFlight = 0;
  let peak = 0;
  let first = Number.NaN;
  let last = Number.NaN;
  const observer: CreateObserver = {
    onCreateStarted(_pool, atMs) {
      if (Number.isNaN(first)) first = atMs;
      inFlight++;
      peak = Math.max(peak, inFlight);
    },
    onCreateReturned(_pool, atMs) {
      inFlight--;
      returned++;
      last = atMs;
    },
  };
  return { observer, returned: () => returned, lastReturnedMs: () => last, firstStartedMs: () => first, peakInFlight: () => peak };
}
