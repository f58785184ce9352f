import { randomUUID } from 'node:crypto';
import { systemClock, systemTimers, type Clock, type Timers } from '../clock.js';
import type { Logger } from '../log.js';
import { WorkQueue, noQueueMetrics, type QueueMetrics, type RateLimiter } from '../queue/index.js';
import { isConflict, type ObjectKey } from '../store/index.js';
import { fromQueueKey, toQueueKey } from './queue-key.js';
import { isTerminal } from './terminal-error.js';
import { noReconcileMetrics, type ControllerDefinition, type ReconcileMetrics, type ReconcileOutcome, type Result } from './types.js';

export interface ControllerOptions {
  readonly log: Logger;
  readonly clock?: Clock;
  readonly timers?: Timers;
  /** Default: client-go's DefaultControllerRateLimiter. */
  readonly rateLimiter?: RateLimiter;
  readonly queueMetrics?: QueueMetrics;
  readonly reconcileMetrics?: ReconcileMetrics;
  readonly newReconcileId?: () => string;
}

/** How a graceful stop ended. */
export interface StopOutcome {
  /** Reconciles still running when the deadline passed; their signal was aborted. */
  readonly abandoned: number;
}

/**
 * Runs one ControllerDefinition: a work queue of keys and up to `maxConcurrentReconciles` workers.
 * The queue guarantees one reconcile per key at a time. Outcomes follow controller-runtime:
 * error → rate-limited requeue; TerminalError → forget, no requeue; requeueAfterMs → forget and
 * add after; success → forget.
 */
/** enqueueOwnerOfChange: an owner waits this many times its last reconcile's duration. */
const OWNER_DUTY_FACTOR = 10;
/** enqueueOwnerOfChange: the longest an owner waits for that reason. */
const MAX_OWNER_DUTY_DELAY_MS = 1_000;
/** Keys whose last duration is kept; past it all are forgotten (they are a hint, not state). */
const MAX_DURATIONS = 50_000;

export class Controller {
  readonly name: string;
  private readonly queue: WorkQueue;
  private readonly log: Logger;
  private readonly clock: Clock;
  private readonly metrics: ReconcileMetrics;
  private readonly newReconcileId: () => string;
  private readonly abort = new AbortController();
  private workers: Promise<void>[] = [];
  private active = 0;
  /** How long each key's last reconcile took (enqueueOwnerOfChange); forgotten wholesale past MAX_DURATIONS keys. */
  private readonly lastDurationMs = new Map<string, number>();

  constructor(
    private readonly definition: ControllerDefinition,
    options: ControllerOptions,
  ) {
    this.name = definition.name;
    this.clock = options.clock ?? systemClock;
    this.log = options.log.child({ controller: definition.name, kind: definition.kind });
    this.metrics = options.reconcileMetrics ?? noReconcileMetrics;
    this.newReconcileId = options.newReconcileId ?? randomUUID;
    this.queue = new WorkQueue({
      clock: this.clock,
      timers: options.timers ?? systemTimers,
      metrics: options.queueMetrics ?? noQueueMetrics,
      ...(options.rateLimiter ? { rateLimiter: options.rateLimiter } : {}),
    });
  }

  /** Queues a key; keys queued before `start` wait for it. */
  enqueue(key: ObjectKey): void {
    this.queue.add(toQueueKey(key));
  }

  /** Queues a key once `delayMs` has passed; an earlier pending add of it wins. */
  enqueueAfter(key: ObjectKey, delayMs: number): void {
    this.queue.addAfter(toQueueKey(key), delayMs);
  }

  /**
   * Queues an owner because an object it owns changed: after `minDelayMs`, or after ten times its
   * last reconcile's duration if longer. An owner that reads all it owns (a pool reading 10,000
   * Machines takes ~50 ms) then spends at most about a tenth of the time reconciling for its owned
   * objects' changes, however fast they come: in a 10,000-node scale-out, reconciling the pool every
   * 100 ms took a third of the process's CPU from the Machines it was waiting for. Never more than
   * a second: a reconcile's duration includes its waits (a cloud call, a write), not only its CPU,
   * and a failed Machine must not wait long for its replacement.
   */
  enqueueOwnerOfChange(key: ObjectKey, minDelayMs: number): void {
    const item = toQueueKey(key);
    const dutyMs = Math.min(MAX_OWNER_DUTY_DELAY_MS, OWNER_DUTY_FACTOR * (this.lastDurationMs.get(item) ?? 0));
    this.queue.addAfter(item, Math.max(minDelayMs, dutyMs));
  }

  /** Starts the workers. */
  start(): void {
    if (this.workers.length > 0) throw new Error(`controller ${this.name} is already started`);
    const concurrency = Math.max(1, this.definition.maxConcurrentReconciles ?? 1);
    this.metrics.maxConcurrentReconciles(concurrency);
    this.workers = Array.from({ length: concurrency }, () => this.work());
  }

  /**
   * Takes no more keys and waits for running reconciles until `deadline` settles; then aborts the
   * signal of those still running and resolves without them.
   */
  async stop(deadline: Promise<unknown>): Promise<StopOutcome> {
    this.queue.shutDown();
    const finished = Promise.all(this.workers).then(() => 'finished' as const);
    const ended = await Promise.race([finished, deadline.then(() => 'deadline' as const)]);
    if (ended === 'finished') return { abandoned: 0 };
    const abandoned = this.active;
    this.abort.abort(new Error(`controller ${this.name} stopped waiting for ${abandoned} running reconciles`));
    return { abandoned };
  }

  /** Starts no further reconcile, at once, and aborts running ones: leadership is gone. */
  halt(reason: string): void {
    this.queue.shutDown();
    this.abort.abort(new Error(reason));
  }

  /** Resolves when every worker has returned. */
  async stopped(): Promise<void> {
    await Promise.all(this.workers);
  }

  /** Reconciles running now. */
  inFlight(): number {
    return this.active;
  }

  private async work(): Promise<void> {
    for (;;) {
      const item = await this.queue.get();
      if (item === undefined) return;
      // The key may have been handed out just before a shutdown; starting it now would break the promise to stop.
      if (this.queue.isShuttingDown()) {
        this.queue.done(item);
        return;
      }
      try {
        await this.reconcileOne(item);
      } catch (err) {
        // Only the bookkeeping around a reconcile can get here (its errors are the reconcile's
        // outcome): a worker that ended on it would leave the controller silently idle.
        this.log.error({ err, key: item }, 'handling a reconcile outcome failed; the worker goes on');
      }
    }
  }

  private async reconcileOne(item: string): Promise<void> {
    const key = fromQueueKey(item);
    const reconcileId = this.newReconcileId();
    const log = this.log.child({ namespace: key.namespace, name: key.name, reconcileId });
    const startedMs = this.clock.now().getTime();
    this.metrics.activeWorkers(++this.active);
    let outcome: ReconcileOutcome;
    try {
      try {
        const result = await this.definition.reconcile({ log, signal: this.abort.signal, reconcileId }, key);
        outcome = this.settleResult(item, result);
      } catch (error) {
        outcome = this.settleError(item, error, log);
      }
    } finally {
      // Whatever happened, the key is released: a key left processing would never be handed out again.
      this.metrics.activeWorkers(--this.active);
      this.queue.done(item);
    }
    const durationMs = Math.max(0, this.clock.now().getTime() - startedMs);
    if (this.lastDurationMs.size >= MAX_DURATIONS) this.lastDurationMs.clear();
    this.lastDurationMs.set(item, durationMs);
    this.metrics.reconciled(outcome, durationMs / 1000);
  }

  private settleResult(item: string, result: Result): ReconcileOutcome {
    this.queue.forget(item);
    const after = result.requeueAfterMs;
    if (after === undefined || !(after > 0) || !Number.isFinite(after)) return 'success';
    this.queue.addAfter(item, after);
    return 'requeue_after';
  }

  private settleError(item: string, error: unknown, log: Logger): ReconcileOutcome {
    if (isTerminal(error)) {
      this.queue.forget(item);
      this.metrics.terminalError();
      log.error({ err: error }, 'reconcile failed terminally, not retrying');
      return 'error';
    }
    const retries = this.queue.numRequeues(item);
    this.queue.addRateLimited(item);
    if (isConflict(error)) {
      log.debug({ err: error, retries }, 'reconcile read a stale object, requeued');
      return 'requeue';
    }
    log.warn({ err: error, retries }, 'reconcile failed, retrying');
    return 'error';
  }
}
