import { describe, expect, it } from '@jest/globals';
import { ConflictError, type ObjectKey } from '../store/index.js';
import { deferred, eventually, settle, type Deferred } from '../testing/async.js';
import { FakeClock } from '../testing/fake-clock.js';
import { capturingLogger } from '../testing/log-capture.js';
import { Controller } from './controller.js';
import { TerminalError } from './terminal-error.js';
import type { ReconcileContext, Result } from './types.js';

const key = (name: string): ObjectKey => ({ namespace: 'default', name });

type Reconcile = (ctx: ReconcileContext, key: ObjectKey) => Promise<Result>;

function controllerWith(reconcile: Reconcile, maxConcurrentReconciles = 1) {
  const clock = new FakeClock();
  const { log, lines } = capturingLogger();
  let ids = 0;
  const controller = new Controller(
    { name: 'test', kind: 'NodePool', reconcile, maxConcurrentReconciles },
    { log, clock, timers: clock, newReconcileId: () => `r${++ids}` },
  );
  return { controller, clock, lines };
}

/** Records every run and holds each open until the test releases it. */
function gatedReconcile() {
  const runs: string[] = [];
  const gates: Deferred<Result>[] = [];
  const reconcile: Reconcile = (_ctx, k) => {
    runs.push(k.name);
    const gate = deferred<Result>();
    gates.push(gate);
    return gate.promise;
  };
  return { runs, gates, reconcile };
}

describe('Controller', () => {
  it('keeps its worker when handling an outcome fails, and the key can be reconciled again', async () => {
    const clock = new FakeClock();
    const { log, lines } = capturingLogger();
    let failNext = true;
    const runs: string[] = [];
    const controller = new Controller(
      { name: 'test', kind: 'NodePool', reconcile: (_ctx, k) => { runs.push(k.name); return Promise.resolve({}); } },
      {
        log,
        clock,
        timers: clock,
        reconcileMetrics: {
          reconciled: () => {
            if (failNext) {
              failNext = false;
              throw new Error('metrics bug');
            }
          },
          terminalError: () => undefined,
          activeWorkers: () => undefined,
          maxConcurrentReconciles: () => undefined,
        },
      },
    );
    controller.start();
    controller.enqueue(key('a'));
    await eventually(() => runs.length === 1, 'the first reconcile');
    controller.enqueue(key('a'));
    controller.enqueue(key('b'));
    await eventually(() => runs.length === 3, 'reconciles after the failure');
    expect(runs).toEqual(['a', 'a', 'b']);
    expect(lines.find((l) => l.msg === 'handling a reconcile outcome failed; the worker goes on')).toBeDefined();
    await controller.stop(Promise.resolve());
  });

  it('never runs two reconciles of one key at once, however the adds interleave', async () => {
    const running = new Set<string>();
    let overlaps = 0;
    let mostAtOnce = 0;
    let runs = 0;
    const { controller } = controllerWith(async (_ctx, k) => {
      if (running.has(k.name)) overlaps++;
      running.add(k.name);
      mostAtOnce = Math.max(mostAtOnce, running.size);
      runs++;
      for (let i = 0; i < 3; i++) await settle();
      running.delete(k.name);
      return {};
    }, 4);
    controller.start();
    for (let round = 0; round < 50; round++) {
      for (const name of ['a', 'b', 'c', 'a', 'b', 'a']) controller.enqueue(key(name));
      if (round % 3 === 0) await settle();
    }
    await eventually(() => controller.inFlight() === 0 && running.size === 0 && runs > 3, 'the queue to empty');
    await settle();
    expect(overlaps).toBe(0);
    expect(mostAtOnce).toBeGreaterThan(1);
    expect(mostAtOnce).toBeLessThanOrEqual(3);
  });

  it('runs a key re-added while it is reconciled exactly once more, afterwards', async () => {
    const { runs, gates, reconcile } = gatedReconcile();
    const { controller } = controllerWith(reconcile);
    controller.start();
    controller.enqueue(key('a'));
    await eventually(() => runs.length === 1, 'the first run');
    for (let i = 0; i < 5; i++) controller.enqueue(key('a'));
    gates[0]?.resolve({});
    await eventually(() => runs.length === 2, 'the second run');
    gates[1]?.resolve({});
    await eventually(() => controller.inFlight() === 0, 'the second run to end');
    await settle();
    expect(runs).toEqual(['a', 'a']);
  });

  it('keeps at most maxConcurrentReconciles running', async () => {
    const { runs, gates, reconcile } = gatedReconcile();
    const { controller } = controllerWith(reconcile, 3);
    controller.start();
    for (let i = 0; i < 10; i++) controller.enqueue(key(`k${i}`));
    await eventually(() => runs.length === 3, 'three runs');
    await settle();
    expect(controller.inFlight()).toBe(3);
    for (let released = 0; released < 10; released++) {
      await eventually(() => gates.length > released, `run ${released + 1}`);
      expect(controller.inFlight()).toBeLessThanOrEqual(3);
      gates[released]?.resolve({});
    }
    await eventually(() => controller.inFlight() === 0, 'every run to end');
    expect(runs.sort()).toEqual(Array.from({ length: 10 }, (_, i) => `k${i}`).sort());
  });

  it('retries a failing key after 5, 10, 20 ms and resets the backoff once it succeeds', async () => {
    let failuresLeft = 3;
    const runsAtMs: number[] = [];
    const { controller, clock, lines } = controllerWith(() => {
      runsAtMs.push(clock.now().getTime() - start);
      if (failuresLeft-- > 0) return Promise.reject(new Error('provider timed out'));
      return Promise.resolve({});
    });
    const start = clock.now().getTime();
    controller.start();
    controller.enqueue(key('a'));
    for (const expected of [1, 2, 3, 4]) {
      await eventually(() => runsAtMs.length === expected && controller.inFlight() === 0, `run ${expected}`);
      await settle();
      clock.advance(clock.nextTimerInMs() ?? 0);
    }
    expect(runsAtMs).toEqual([0, 5, 15, 35]);
    expect(clock.pendingTimers()).toBe(0);
    failuresLeft = 1;
    controller.enqueue(key('a'));
    await eventually(() => runsAtMs.length === 5 && controller.inFlight() === 0, 'the run after success');
    await settle();
    expect(clock.nextTimerInMs()).toBe(5);
    expect(lines.filter((l) => l.msg === 'reconcile failed, retrying').map((l) => l.retries)).toEqual([0, 1, 2, 0]);
    expect(lines.find((l) => l.level === 40)).toMatchObject({ err: { message: 'provider timed out' }, name: 'a' });
  });

  it('does not retry a TerminalError, even one wrapped as a cause', async () => {
    let runs = 0;
    const { controller, clock, lines } = controllerWith(() => {
      runs++;
      return Promise.reject(new Error('create failed', { cause: new TerminalError('credentials refused') }));
    });
    controller.start();
    controller.enqueue(key('a'));
    await eventually(() => runs === 1 && controller.inFlight() === 0, 'the run');
    await settle();
    clock.advance(2_000_000);
    await settle();
    expect(runs).toBe(1);
    expect(clock.pendingTimers()).toBe(0);
    expect(lines.find((l) => l.level === 50)?.msg).toBe('reconcile failed terminally, not retrying');
  });

  it('retries a Conflict with backoff, logged at debug', async () => {
    let runs = 0;
    const { controller, clock, lines } = controllerWith(() => {
      runs++;
      if (runs === 1) return Promise.reject(new ConflictError('NodePool', key('a'), 'resourceVersion 3 is stale'));
      return Promise.resolve({});
    });
    controller.start();
    controller.enqueue(key('a'));
    await eventually(() => runs === 1 && controller.inFlight() === 0, 'the first run');
    await settle();
    expect(clock.nextTimerInMs()).toBe(5);
    clock.advance(5);
    await eventually(() => runs === 2, 'the retry');
    expect(lines.filter((l) => (l.level as number) >= 40)).toEqual([]);
  });

  it('requeues after requeueAfterMs with its backoff reset', async () => {
    const runsAtMs: number[] = [];
    const { controller, clock } = controllerWith(() => {
      runsAtMs.push(clock.now().getTime() - start);
      return Promise.resolve(runsAtMs.length === 1 ? { requeueAfterMs: 30_000 } : {});
    });
    const start = clock.now().getTime();
    controller.start();
    controller.enqueue(key('a'));
    await eventually(() => runsAtMs.length === 1 && controller.inFlight() === 0, 'the first run');
    await settle();
    clock.advance(29_999);
    await settle();
    expect(runsAtMs).toEqual([0]);
    clock.advance(1);
    await eventually(() => runsAtMs.length === 2, 'the requeued run');
    expect(runsAtMs).toEqual([0, 30_000]);
  });

  it('gives each reconcile a child logger with controller, kind, namespace, name and reconcileId', async () => {
    const { controller, lines } = controllerWith((ctx) => {
      ctx.log.info('scaled pool');
      return Promise.resolve({});
    });
    controller.start();
    controller.enqueue({ namespace: 'team-a', name: 'workers' });
    await eventually(() => lines.length === 1, 'the log line');
    expect(lines[0]).toMatchObject({ controller: 'test', kind: 'NodePool', namespace: 'team-a', name: 'workers', reconcileId: 'r1', msg: 'scaled pool' });
  });

  it('stop waits for running reconciles, starts no new one, and resolves once they end', async () => {
    const { runs, gates, reconcile } = gatedReconcile();
    const { controller } = controllerWith(reconcile);
    controller.start();
    controller.enqueue(key('a'));
    controller.enqueue(key('b'));
    await eventually(() => runs.length === 1, 'the first run');
    let outcome: unknown;
    const stopping = controller.stop(new Promise(() => {})).then((o) => (outcome = o));
    await settle();
    expect(outcome).toBeUndefined();
    gates[0]?.resolve({});
    await stopping;
    expect(outcome).toEqual({ abandoned: 0 });
    expect(runs).toEqual(['a']);
  });

  it('stop gives up at the deadline and aborts the running reconciles', async () => {
    let signal: AbortSignal | undefined;
    const { controller } = controllerWith((ctx) => {
      signal = ctx.signal;
      return new Promise<Result>(() => {});
    });
    controller.start();
    controller.enqueue(key('a'));
    await eventually(() => signal !== undefined, 'the run');
    const deadline = deferred();
    const stopping = controller.stop(deadline.promise);
    await settle();
    deadline.resolve();
    expect(await stopping).toEqual({ abandoned: 1 });
    expect(signal?.aborted).toBe(true);
  });

  it('halt starts no further reconcile, even of keys already queued', async () => {
    const { runs, gates, reconcile } = gatedReconcile();
    const { controller } = controllerWith(reconcile);
    controller.start();
    controller.enqueue(key('a'));
    controller.enqueue(key('b'));
    await eventually(() => runs.length === 1, 'the first run');
    controller.halt('leadership lost');
    controller.enqueue(key('c'));
    gates[0]?.resolve({});
    await controller.stopped();
    expect(runs).toEqual(['a']);
  });

  it('queues an owner for an owned change after its minimum delay, or ten times its last reconcile if that is longer (at most 1 s)', async () => {
    const runs: string[] = [];
    const clocks: FakeClock[] = [];
    const { controller, clock } = controllerWith((_ctx, k) => {
      runs.push(k.name);
      if (k.name === 'slow') clocks[0]?.advance(80); // this reconcile takes 80 ms of the fake clock
      if (k.name === 'slowest') clocks[0]?.advance(500);
      return Promise.resolve({});
    });
    clocks.push(clock);
    controller.start();
    controller.enqueueOwnerOfChange(key('slow'), 100);
    controller.enqueueOwnerOfChange(key('quick'), 100);
    clock.advance(100);
    await eventually(() => runs.length === 2, 'the first two runs');
    expect(runs).toEqual(['slow', 'quick']);
    // slow's last reconcile took 80 ms: its owned changes wait 800 ms; quick's took 0: its minimum.
    controller.enqueueOwnerOfChange(key('slow'), 100);
    controller.enqueueOwnerOfChange(key('quick'), 100);
    clock.advance(100);
    await eventually(() => runs.length === 3, "quick's second run");
    expect(runs).toEqual(['slow', 'quick', 'quick']);
    clock.advance(600);
    await settle();
    expect(runs).toEqual(['slow', 'quick', 'quick']);
    clock.advance(100);
    await eventually(() => runs.length === 4, "slow's second run");
    expect(runs).toEqual(['slow', 'quick', 'quick', 'slow']);
    // 500 ms would make 5 s: capped at 1 s.
    controller.enqueueOwnerOfChange(key('slowest'), 100);
    clock.advance(100);
    await eventually(() => runs.length === 5, "slowest's first run");
    controller.enqueueOwnerOfChange(key('slowest'), 100);
    clock.advance(999);
    await settle();
    expect(runs).toHaveLength(5);
    clock.advance(1);
    await eventually(() => runs.length === 6, "slowest's second run, 1 s later");
    controller.halt('test over');
  });
});
