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
  /** The Machine controller's reconciles at once, and the account's provider calls in flight, the bench set. */
  readonly machineConcurrency: number;
  readonly maxInFlight: number;
}

const POOL = 'bench-scale-out';

export interface ScaleOutOptions {
  readonly replicas: number;
  readonly createCallMs: number;
  readonly readyMs: number;
  /** The Machine controller's maxConcurrentReconciles (controllers/setup.ts ControllerOptions.machineConcurrency). */
  readonly machineConcurrency: number;
  /** The account's provider calls in flight (ProviderOptions.maxInFlight). */
  readonly maxInFlight: number;
}

export async function benchScaleOut(options: ScaleOutOptions): Promise<ScaleOutFigures> {
  const { replicas, createCallMs, readyMs, machineConcurrency, maxInFlight } = options;
  const counts = countingObserver();
  const world = await startWorld({ createCallMs, readyMs, observer: counts.observer, machineConcurrency, maxInFlight });
  try {
    const started = performance.now();
    await world.store.create(benchPool(POOL, replicas));
    await waitFor(`${replicas} returned creates`, () => Promise.resolve(counts.returned() >= replicas), 600_000, 20);
    const createsReturnedMs = counts.lastReturnedMs() - started;
    await waitFor(`${replicas} Running Machines`, async () => (await runningMachines(world.store, POOL)) >= replicas, 1_200_000, 500);
    const allRunningMs = performance.now() - started;
    return { replicas, createCallMs, readyMs, firstCreateMs: counts.firstStartedMs() - started, createsReturnedMs, allRunningMs, peakInFlight: counts.peakInFlight(), machineConcurrency, maxInFlight };
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
