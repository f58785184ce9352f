import { describe, expect, it } from '@jest/globals';
import { pino } from 'pino';
import { FINALIZER_MACHINE } from '../../api/index.js';
import { TAG_MACHINE, TAG_MANAGED_BY, type Instance, type InstanceFilter, type Provider, type ProviderOp } from '../../providers/index.js';
import type { ReconcileContext } from '../../runtime/controller/index.js';
import { FakeClock } from '../../runtime/testing/fake-clock.js';
import { settle } from '../../runtime/testing/async.js';
import { MemoryStore } from '../../runtime/testing/memory-store.js';
import { testMachine, testNodePool, testStrategy } from '../../runtime/testing/objects.js';
import { EMPTY_FALLBACK_RELIST_EVERY, FleetObserver } from '../observer/index.js';
import { OfferingBackoff, type ControllerDeps } from '../shared/index.js';
import { reconcileMachine } from './controller.js';
import { LIVENESS_PERIOD_MS, PROVISIONING_POLL_MS } from './registration.js';

const NS = 'default';
const MANAGED_BY = 'pf-calls';
const silent = pino({ level: 'silent' });
const ctx: ReconcileContext = { log: silent, signal: new AbortController().signal, reconcileId: 'test' };

/** An in-memory cloud account that counts every call by op, so the test sees what the controller costs the cloud. */
class CountingCloud implements Provider {
  readonly type = 'sim';
  readonly account = 'sim-a';
  readonly calls = new Map<ProviderOp, number>();
  readonly instances = new Map<string, Instance>();

  count(op: ProviderOp): number {
    return this.calls.get(op) ?? 0;
  }
  regions = () => this.refuse('regions');
  offerings = () => this.refuse('offerings');
  image = () => this.refuse('image');
  create = () => this.refuse('create');
  delete = () => this.refuse('delete');
  get(id: string): Promise<Instance | undefined> {
    this.tally('get');
    return Promise.resolve(this.instances.get(id));
  }
  describe(region: string, ids: readonly string[]): Promise<Instance[]> {
    this.tally('describe');
    const wanted = new Set(ids);
    return Promise.resolve([...this.instances.values()].filter((i) => i.region === region && wanted.has(i.id)));
  }
  list(filter: InstanceFilter): Promise<Instance[]> {
    this.tally('list');
    return Promise.resolve([...this.instances.values()].filter((i) => i.tags[TAG_MANAGED_BY] === filter.managedBy && (filter.region === undefined || i.region === filter.region)));
  }
  private tally(op: ProviderOp): void {
    this.calls.set(op, this.count(op) + 1);
  }
  private refuse(op: ProviderOp): never {
    this.tally(op);
    throw new Error(`${op} is not expected of a fleet being watched`);
  }
}

interface FleetRun {
  readonly cloud: CountingCloud;
  readonly reconciles: number;
}

/**
 * `machines` Running Machines over `minutes` of simulated time, each reconciled whenever its
 * requeue falls due or the fleet observer enqueues it, as the runtime would; `push`: with the
 * observer's feed started (the manager starts it), else every Machine looks for itself.
 */
async function runningFleet(machines: number, minutes: number, push: boolean): Promise<FleetRun> {
  return watchedFleet({ machines, minutes, push, phase: 'Running' });
}

interface FleetOptions {
  readonly machines: number;
  readonly minutes: number;
  readonly push: boolean;
  readonly phase: 'Running' | 'Provisioning';
}

/**
 * As the runtime runs them: every Machine whose requeue is due (or that the feed enqueued) is
 * reconciled, those due at one instant concurrently, as the controller's workers would.
 */
async function watchedFleet({ machines, minutes, push, phase }: FleetOptions): Promise<FleetRun> {
  const clock = new FakeClock(Date.UTC(2026, 0, 1));
  const store = new MemoryStore();
  const cloud = new CountingCloud();
  const observer = new FleetObserver({ clock, timers: clock, managedBy: MANAGED_BY });
  const deps: ControllerDeps = {
    store,
    clock,
    managedBy: MANAGED_BY,
    backoff: new OfferingBackoff(clock),
    recorder: { record: () => {} },
    providers: { forAccount: () => Promise.resolve(cloud) },
    observer,
  };
  const pushed = new Set<string>();
  const stopFeed = push ? observer.source().start((key) => pushed.add(key.name)) : () => {};
  await store.create(testStrategy(NS, 'cheap'));
  const pool = await store.create(testNodePool(NS, 'workers', 'cheap'));
  const due = new Map<string, number>();
  for (let n = 0; n < machines; n++) {
    const name = `m${n}`;
    const base = testMachine(pool, name, n);
    const created = await store.create({ ...base, metadata: { ...base.metadata, finalizers: [FINALIZER_MACHINE] } });
    const id = `i-${n}`;
    cloud.instances.set(id, instance(id, created.metadata.uid ?? '', clock.now(), phase === 'Running' ? 'running' : 'pending'));
    await store.updateStatus({ ...created, kind: 'Machine', status: { phase, instanceId: id, createdAt: clock.now().toISOString() } });
    due.set(name, clock.now().getTime());
  }
  const endMs = clock.now().getTime() + minutes * 60_000;
  let reconciles = 0;
  for (;;) {
    const timerMs = clock.now().getTime() + (clock.nextTimerInMs() ?? Number.POSITIVE_INFINITY);
    const nextMs = Math.min(...due.values(), timerMs);
    if (nextMs > endMs) break;
    // One instant at a time, so the feed's listing finishes (and sets its next timer) before time moves on.
    clock.advance(Math.max(0, nextMs - clock.now().getTime()));
    await settle();
    const now = [...due].filter(([name, atMs]) => atMs <= nextMs || pushed.has(name)).map(([name]) => name);
    await Promise.all(
      now.map(async (name) => {
        pushed.delete(name);
        const result = await reconcileMachine(deps, ctx, { namespace: NS, name });
        reconciles += 1;
        expect(result.requeueAfterMs).toBeGreaterThan(0);
        due.set(name, nextMs + (result.requeueAfterMs ?? 0));
      }),
    );
  }
  stopFeed();
  return { cloud, reconciles };
}

function instance(id: string, machineUid: string, now: Date, state: Instance['state']): Instance {
  return {
    id,
    account: 'sim-a',
    region: 'r1',
    zone: 'r1a',
    instanceType: 's1',
    state,
    addresses: [{ type: 'InternalIP', address: '10.0.0.1' }],
    tags: { [TAG_MANAGED_BY]: MANAGED_BY, [TAG_MACHINE]: machineUid },
    createdAt: now.toISOString(),
    hourlyPrice: '0.01',
  };
}

describe('what watching a fleet costs the cloud', () => {
  const minutes = 5;
  // One listing at the start and one per period after under the installation's own managed-by
  // tag; under the pre-identity default, which has no instances here, the first and every tenth.
  const periods = 1 + (minutes * 60_000) / LIVENESS_PERIOD_MS;
  const listings = periods + Math.ceil(periods / EMPTY_FALLBACK_RELIST_EVERY);

  it('pushed: the same calls for 100 and for 2,000 Machines, one listing per period, and no reconcile between resyncs', async () => {
    const small = await runningFleet(100, minutes, true);
    const large = await runningFleet(2_000, minutes, true);
    expect(Object.fromEntries(small.cloud.calls)).toEqual({ list: listings });
    expect(Object.fromEntries(large.cloud.calls)).toEqual({ list: listings });
    // The first look, and the resync at 5 minutes: nothing changed, so nothing was pushed.
    expect(small.reconciles).toBe(2 * 100);
    expect(large.reconciles).toBe(2 * 2_000);
  }, 60_000);

  it('pulled (no feed running): still the same calls for 100 and for 2,000 Machines, no get per Machine', async () => {
    const small = await runningFleet(100, minutes, false);
    const large = await runningFleet(2_000, minutes, false);
    expect(Object.fromEntries(small.cloud.calls)).toEqual({ list: listings });
    expect(Object.fromEntries(large.cloud.calls)).toEqual({ list: listings });
  }, 60_000);

  it('Provisioning: each 2 s look of every Machine at once is one batched describe, for 100 as for 2,000 Machines, and no get', async () => {
    const seconds = 20;
    const small = await watchedFleet({ machines: 100, minutes: seconds / 60, push: true, phase: 'Provisioning' });
    const large = await watchedFleet({ machines: 2_000, minutes: seconds / 60, push: true, phase: 'Provisioning' });
    const looks = 1 + (seconds * 1000) / PROVISIONING_POLL_MS;
    expect(Object.fromEntries(small.cloud.calls)).toEqual({ describe: looks });
    expect(Object.fromEntries(large.cloud.calls)).toEqual({ describe: looks });
  }, 60_000);
});
