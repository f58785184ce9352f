import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { Reason } from '../../api/index.js';
import { ThrottledError } from '../../providers/index.js';
import type { ObjectKey } from '../../runtime/store/index.js';
import { eventually, settle } from '../../runtime/testing/async.js';
import { FleetObserver } from '../observer/index.js';
import type { ControllerDeps } from '../shared/index.js';
import { MANAGED_BY, NS, machineFixture, type MachineFixture } from './fixture.js';
import { LIVENESS_PERIOD_MS, LIVENESS_RESYNC_MS } from './registration.js';

let fx: MachineFixture;
let deps: ControllerDeps;
let enqueued: string[];
let stopFeed: () => void;
let instanceId = '';

/** The Machine controller as the manager runs it: the fleet observer's feed started, its enqueues recorded. */
beforeEach(async () => {
  fx = await machineFixture();
  const observer = new FleetObserver({ clock: fx.clock, timers: fx.clock, managedBy: MANAGED_BY });
  deps = { ...fx.deps, observer };
  enqueued = [];
  stopFeed = observer.source().start((key: ObjectKey) => enqueued.push(`${key.namespace}/${key.name}`));
  await fx.createStrategy();
  await fx.createPool();
  await fx.createMachine('m1');
  await fx.reconcile('m1', deps);
  fx.clock.advance(2_000);
  await fx.reconcile('m1', deps);
  const m = await fx.mustGet('m1');
  expect(m.status?.phase).toBe('Running');
  instanceId = m.status?.instanceId ?? '';
});
afterEach(async () => {
  stopFeed();
  await fx.close();
});

/** Moves the fake clock by `ms` and lets the listing its timers started finish (the feed then sets its next timer). */
async function advance(ms: number): Promise<void> {
  fx.clock.advance(ms);
  await settle();
  await eventually(() => fx.clock.pendingTimers() > 0, 'the feed to set its next timer');
}

describe('liveness with changes pushed (the fleet observer feeds the Machine controller)', () => {
  it('a Running Machine registers and then looks again only at the long resync', async () => {
    fx.clock.advance(LIVENESS_PERIOD_MS);
    expect(await fx.reconcile('m1', deps)).toEqual({ requeueAfterMs: LIVENESS_RESYNC_MS });
  });

  it('an idle fleet enqueues nothing, and the account-region is listed once per period', async () => {
    fx.clock.advance(LIVENESS_PERIOD_MS);
    await fx.reconcile('m1', deps);
    let lists = 0;
    const sim = fx.sim();
    const list = sim.list.bind(sim);
    sim.list = (filter) => {
      lists += 1;
      return list(filter);
    };
    for (let period = 0; period < 10; period++) await advance(LIVENESS_PERIOD_MS);
    expect(enqueued).toEqual([]);
    // Under the installation's own managed-by tag once a period; under the pre-identity default,
    // empty since the first listing (before counting), only on the tenth.
    expect(lists).toBe(10 + 1);
  });

  it('a throttled listing holds the feed back as long as the cloud said, then it lists again', async () => {
    fx.clock.advance(LIVENESS_PERIOD_MS);
    await fx.reconcile('m1', deps);
    let lists = 0;
    const sim = fx.sim();
    const list = sim.list.bind(sim);
    sim.list = (filter) => {
      lists += 1;
      return list(filter);
    };
    sim.failNext('list', new ThrottledError('slow down', 'sim-a', 90_000));
    await advance(LIVENESS_PERIOD_MS);
    expect(lists).toBe(1);
    expect(fx.clock.nextTimerInMs()).toBe(90_000);
    await advance(60_000);
    expect(lists).toBe(1);
    await advance(30_000);
    // The own tag again; the pre-identity default was empty at the first listing, so it waits its turn.
    expect(lists).toBe(2);
  });

  it('an instance that fails is pushed to its Machine within one period, which then fails', async () => {
    fx.clock.advance(LIVENESS_PERIOD_MS);
    await fx.reconcile('m1', deps);
    await fx.sim().kill(instanceId, 'fail');
    await advance(LIVENESS_PERIOD_MS);
    await eventually(() => enqueued.length > 0, 'the Machine to be enqueued');
    expect(enqueued).toEqual([`${NS}/m1`]);
    expect(await fx.reconcile('m1', deps)).toEqual({});
    expect((await fx.mustGet('m1')).status).toMatchObject({ phase: 'Failed', failureReason: Reason.InstanceFailed });
  });

  it('a stopped instance is pushed too', async () => {
    fx.clock.advance(LIVENESS_PERIOD_MS);
    await fx.reconcile('m1', deps);
    await fx.sim().stop(instanceId);
    await advance(LIVENESS_PERIOD_MS);
    await eventually(() => enqueued.length > 0, 'the Machine to be enqueued');
    expect(await fx.reconcile('m1', deps)).toEqual({});
    expect((await fx.mustGet('m1')).status).toMatchObject({ phase: 'Failed', failureReason: Reason.InstanceStopped });
  });

  it('a failed Machine is forgotten: later changes of its instance enqueue nothing', async () => {
    fx.clock.advance(LIVENESS_PERIOD_MS);
    await fx.reconcile('m1', deps);
    await fx.sim().kill(instanceId, 'fail');
    await advance(LIVENESS_PERIOD_MS);
    await eventually(() => enqueued.length > 0, 'the Machine to be enqueued');
    await fx.reconcile('m1', deps);
    enqueued.length = 0;
    await fx.sim().delete(instanceId);
    fx.clock.advance(LIVENESS_PERIOD_MS);
    await settle();
    expect(enqueued).toEqual([]);
    // No Machine waits on the account-region any more: its listing loop has ended.
    expect(fx.clock.pendingTimers()).toBe(0);
  });
});
