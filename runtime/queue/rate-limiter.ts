/** Decides how long an item waits before it is retried (client-go's workqueue.TypedRateLimiter). */
export interface RateLimiter {
  /** The delay in milliseconds before `item` is retried; counts this as one more failure of it. */
  when(item: string): number;
  /** Ends the tracking of `item`: its next failure starts over at the base delay. */
  forget(item: string): void;
  /** How many times `item` failed since it was last forgotten. */
  numRequeues(item: string): number;
}

/** 5 ms, then double on every failure of the same item, to at most 1000 s, as client-go defaults. */
export class ItemExponentialFailureRateLimiter implements RateLimiter {
  private readonly failures = new Map<string, number>();

  constructor(
    private readonly baseDelayMs = 5,
    private readonly maxDelayMs = 1_000_000,
  ) {}

  when(item: string): number {
    const failures = this.failures.get(item) ?? 0;
    this.failures.set(item, failures + 1);
    // Past 2^1023 the product is Infinity; the cap covers it, and the exponent stops growing usefully long before.
    return Math.min(this.baseDelayMs * 2 ** failures, this.maxDelayMs);
  }

  forget(item: string): void {
    this.failures.delete(item);
  }

  numRequeues(item: string): number {
    return this.failures.get(item) ?? 0;
  }
}

/** The longest delay any of `limiters` asks for: per-item backoff and an overall budget together. */
export class MaxOfRateLimiter implements RateLimiter {
  private readonly limiters: readonly RateLimiter[];

  constructor(...limiters: RateLimiter[]) {
    this.limiters = limiters;
  }

  when(item: string): number {
    return this.limiters.reduce((longest, limiter) => Math.max(longest, limiter.when(item)), 0);
  }

  forget(item: string): void {
    for (const limiter of this.limiters) limiter.forget(item);
  }

  numRequeues(item: string): number {
    return this.limiters.reduce((most, limiter) => Math.max(most, limiter.numRequeues(item)), 0);
  }
}
