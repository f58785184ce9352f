/**
 * Time for the rate limiter, injected so tests move it by hand and never sleep. Structurally
 * runtime's Clock and Timers (which providers/ may not import), so a FakeClock fits as it is.
 */
export interface LimiterTimers {
  now(): Date;
  /** Calls `callback` after `delayMs`; the function returned cancels it. */
  setTimeout(callback: () => void, delayMs: number): () => void;
}

export const systemLimiterTimers: LimiterTimers = {
  now: () => new Date(),
  setTimeout: (callback, delayMs) => {
    const timer = setTimeout(callback, delayMs);
    return () => {
      clearTimeout(timer);
    };
  },
};

export interface BucketShape {
  /** Tokens the bucket holds when full: the burst it allows after a quiet spell. */
  readonly capacity: number;
  /** Tokens added per second, up to the capacity: the rate it allows for as long as callers like. */
  readonly refillPerSecond: number;
}

export interface BucketOptions extends BucketShape {
  /**
   * The share of the capacity (0 to 1) an ordinary (not priority) taker must leave in the bucket:
   * headroom kept for priority takers where one budget is shared by both. A share, not a count, so
   * it follows a capacity the budget's owner changes (resync). 0 by default; at least one token is
   * always left to ordinary takers.
   */
  readonly reserveShare?: number;
}

interface Waiter {
  readonly resolve: () => void;
}

/**
 * A token bucket, the algorithm clouds themselves throttle with: it starts full, each call takes one
 * token, tokens come back at a steady rate up to the capacity. Callers without a token wait in
 * arrival order (FIFO), so a steady stream cannot overtake an older caller. Priority takers are
 * served before any ordinary one and may use the reserve, which ordinary takers may not touch:
 * where one budget pays for both, a flood of ordinary calls cannot starve a priority one.
 */
export class TokenBucket {
  private tokens: number;
  private lastMs: number;
  private capacity: number;
  private refillPerMs: number;
  private readonly reserveShare: number;
  private readonly priority: Waiter[] = [];
  private readonly ordinary: Waiter[] = [];
  private cancelTimer: (() => void) | undefined;

  constructor(options: BucketOptions, private readonly timers: LimiterTimers = systemLimiterTimers) {
    if (!(options.capacity >= 1) || !Number.isFinite(options.capacity)) throw new RangeError(`a token bucket holds at least 1 token, not ${String(options.capacity)}`);
    if (!(options.refillPerSecond > 0) || !Number.isFinite(options.refillPerSecond)) {
      throw new RangeError(`a token bucket refills at more than 0 tokens per second, not ${String(options.refillPerSecond)}`);
    }
    this.capacity = options.capacity;
    this.tokens = options.capacity;
    this.refillPerMs = options.refillPerSecond / 1000;
    this.reserveShare = Math.min(1, Math.max(0, options.reserveShare ?? 0));
    this.lastMs = this.nowMs();
  }

  /** Tokens now, refill included (fractions too). */
  get available(): number {
    this.refill();
    return this.tokens;
  }

  /** Callers waiting for a token now. */
  get queued(): number {
    return this.priority.length + this.ordinary.length;
  }

  /**
   * How long a taker arriving now would wait, if nothing changed meanwhile (no resync, no priority
   * taker arriving after it): the tokens those queued before it take, plus its own, at the refill rate.
   */
  estimateWaitMs(priority = false): number {
    this.refill();
    const ahead = priority ? this.priority.length : this.queued;
    const needs = ahead + (priority ? 1 : this.ordinaryNeeds());
    return needs <= this.tokens ? 0 : Math.ceil((needs - this.tokens) / this.refillPerMs);
  }

  /** Resolves once a token is taken for the caller; at once if one is there and nobody queues before it. */
  take(priority = false): Promise<void> {
    return new Promise((resolve) => {
      (priority ? this.priority : this.ordinary).push({ resolve });
      this.drain();
    });
  }

  /**
   * What the budget's owner says is left (a cloud's "remaining" header): the bucket holds that
   * many tokens from now on, however many it thought it had, since others spend the same budget.
   * `capacity`, when given, replaces the bucket's own, and the refill rate scales with it: the
   * budget's window (capacity over rate: an hour for "5,000 an hour") stays what it was.
   */
  resync(remaining: number, capacity?: number): void {
    this.refill();
    if (capacity !== undefined && capacity >= 1 && Number.isFinite(capacity) && capacity !== this.capacity) {
      this.refillPerMs *= capacity / this.capacity;
      this.capacity = capacity;
    }
    this.tokens = Math.min(this.capacity, Math.max(0, remaining));
    this.drain();
  }

  private nowMs(): number {
    return this.timers.now().getTime();
  }

  private refill(): void {
    const now = this.nowMs();
    if (now > this.lastMs) this.tokens = Math.min(this.capacity, this.tokens + (now - this.lastMs) * this.refillPerMs);
    this.lastMs = Math.max(this.lastMs, now);
  }

  /** The least an ordinary taker needs in the bucket to take one token. */
  private ordinaryNeeds(): number {
    return 1 + Math.min(Math.floor(this.capacity * this.reserveShare), this.capacity - 1);
  }

  /** Hands tokens to waiters in order, priority first; then sets a timer for when the next is due. */
  private drain(): void {
    this.refill();
    while (this.priority.length > 0 && this.tokens >= 1) {
      this.tokens -= 1;
      this.priority.shift()?.resolve();
    }
    while (this.priority.length === 0 && this.ordinary.length > 0 && this.tokens >= this.ordinaryNeeds()) {
      this.tokens -= 1;
      this.ordinary.shift()?.resolve();
    }
    this.schedule();
  }

  private schedule(): void {
    this.cancelTimer?.();
    this.cancelTimer = undefined;
    if (this.queued === 0) return;
    const needs = this.priority.length > 0 ? 1 : this.ordinaryNeeds();
    // Rounded up, so the timer never fires a hair before the token is whole and has to wait again.
    const delayMs = Math.max(1, Math.ceil((needs - this.tokens) / this.refillPerMs));
    this.cancelTimer = this.timers.setTimeout(() => {
      this.cancelTimer = undefined;
      this.drain();
    }, delayMs);
  }
}
