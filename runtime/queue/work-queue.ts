import { systemClock, systemTimers, type Clock, type Timers } from '../clock.js';
import { defaultControllerRateLimiter } from './default-rate-limiter.js';
import { DelayedAdds } from './delayed-adds.js';
import { Fifo } from './fifo.js';
import { noQueueMetrics, type QueueMetrics } from './queue-metrics.js';
import type { RateLimiter } from './rate-limiter.js';

export interface WorkQueueOptions {
  readonly clock?: Clock;
  readonly timers?: Timers;
  /** Default: client-go's DefaultControllerRateLimiter on `clock`. */
  readonly rateLimiter?: RateLimiter;
  readonly metrics?: QueueMetrics;
}

/**
 * A rate-limited, delaying work queue of keys with client-go's guarantees:
 * - a key added many times before it is handed out is handed out once (dirty set);
 * - a key being processed is not handed out again until `done` (processing set); one added
 *   meanwhile is handed out once more after `done`, so no change is missed;
 * - `addAfter` and `addRateLimited` add later, on injected timers.
 * Unlike client-go, `shutDown` stops handing out at once, even keys still queued: the manager
 * shuts a queue down to stop taking work, and the keys are level-triggered, so the next
 * process re-lists them.
 */
export class WorkQueue {
  private readonly clock: Clock;
  private readonly rateLimiter: RateLimiter;
  private readonly metrics: QueueMetrics;
  private readonly delayed: DelayedAdds;
  private readonly queue = new Fifo<string>();
  private readonly dirty = new Set<string>();
  private readonly queuedAtMs = new Map<string, number>();
  private readonly processingSinceMs = new Map<string, number>();
  private readonly getters: ((item: string | undefined) => void)[] = [];
  private readonly drainWaiters: (() => void)[] = [];
  private shuttingDown = false;

  constructor(options: WorkQueueOptions = {}) {
    this.clock = options.clock ?? systemClock;
    this.rateLimiter = options.rateLimiter ?? defaultControllerRateLimiter(this.clock);
    this.metrics = options.metrics ?? noQueueMetrics;
    this.delayed = new DelayedAdds(this.clock, options.timers ?? systemTimers, (item) => {
      this.add(item);
    });
  }

  add(item: string): void {
    if (this.shuttingDown || this.dirty.has(item)) return;
    this.metrics.added();
    this.dirty.add(item);
    if (this.processingSinceMs.has(item)) return;
    this.enqueue(item);
  }

  /** Adds `item` once `delayMs` has passed; an earlier pending add of it wins. */
  addAfter(item: string, delayMs: number): void {
    if (this.shuttingDown) return;
    if (delayMs <= 0) this.add(item);
    else this.delayed.schedule(item, delayMs);
  }

  /** Adds `item` after the rate limiter's delay: backoff for this item, within the overall budget. */
  addRateLimited(item: string): void {
    if (this.shuttingDown) return;
    this.metrics.retried();
    this.addAfter(item, this.rateLimiter.when(item));
  }

  /** Resets `item`'s backoff; it does not remove the item from the queue. */
  forget(item: string): void {
    this.rateLimiter.forget(item);
  }

  numRequeues(item: string): number {
    return this.rateLimiter.numRequeues(item);
  }

  /** The next key to process, or undefined once the queue is shut down. Call `done` after. */
  get(): Promise<string | undefined> {
    if (this.shuttingDown) return Promise.resolve(undefined);
    if (this.queue.length > 0) return Promise.resolve(this.take());
    return new Promise((resolve) => this.getters.push(resolve));
  }

  /** Ends the processing of `item`; if it was added meanwhile it is queued again. */
  done(item: string): void {
    const since = this.processingSinceMs.get(item);
    if (since === undefined) return;
    this.processingSinceMs.delete(item);
    this.metrics.worked(this.secondsSince(since));
    if (this.dirty.has(item) && !this.shuttingDown) this.enqueue(item);
    if (this.processingSinceMs.size === 0) for (const resolve of this.drainWaiters.splice(0)) resolve();
  }

  /** Keys waiting to be handed out (not those delayed or being processed). */
  len(): number {
    return this.queue.length;
  }

  /** Keys handed out and not yet done. */
  processing(): number {
    return this.processingSinceMs.size;
  }

  /** Keys waiting for a delayed or rate-limited add. */
  delayedCount(): number {
    return this.delayed.size();
  }

  isShuttingDown(): boolean {
    return this.shuttingDown;
  }

  /** Stops handing out keys and taking new ones; pending `get`s resolve undefined. */
  shutDown(): void {
    if (this.shuttingDown) return;
    this.shuttingDown = true;
    this.delayed.cancelAll();
    for (const resolve of this.getters.splice(0)) resolve(undefined);
  }

  /** Resolves once no key is being processed. */
  drained(): Promise<void> {
    if (this.processingSinceMs.size === 0) return Promise.resolve();
    return new Promise((resolve) => this.drainWaiters.push(resolve));
  }

  private enqueue(item: string): void {
    this.queue.push(item);
    this.queuedAtMs.set(item, this.clock.now().getTime());
    this.dispatch();
    this.metrics.depth(this.queue.length);
  }

  private dispatch(): void {
    while (this.getters.length > 0 && this.queue.length > 0) {
      const resolve = this.getters.shift();
      resolve?.(this.take());
    }
  }

  private take(): string | undefined {
    const item = this.queue.shift();
    if (item === undefined) return undefined;
    const queuedAt = this.queuedAtMs.get(item);
    this.queuedAtMs.delete(item);
    if (queuedAt !== undefined) this.metrics.waited(this.secondsSince(queuedAt));
    this.dirty.delete(item);
    this.processingSinceMs.set(item, this.clock.now().getTime());
    this.metrics.depth(this.queue.length);
    return item;
  }

  private secondsSince(ms: number): number {
    return Math.max(0, this.clock.now().getTime() - ms) / 1000;
  }
}
