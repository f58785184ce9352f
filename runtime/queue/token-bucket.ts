import type { Clock } from '../clock.js';
import type { RateLimiter } from './rate-limiter.js';

/**
 * An overall budget of `qps` retries a second with bursts of `burst` (client-go's BucketRateLimiter
 * over golang.org/x/time/rate): each retry reserves the next token, so when the bucket is empty
 * the delay is the time until that token, and a storm of failures spreads out instead of spinning.
 */
export class TokenBucketRateLimiter implements RateLimiter {
  private tokens: number;
  private lastMs: number;

  constructor(
    private readonly clock: Clock,
    private readonly qps = 10,
    private readonly burst = 100,
  ) {
    if (!(qps > 0) || !(burst >= 1)) throw new RangeError(`token bucket needs qps > 0 and burst >= 1; got qps=${qps}, burst=${burst}`);
    this.tokens = burst;
    this.lastMs = clock.now().getTime();
  }

  when(_item: string): number {
    const nowMs = this.clock.now().getTime();
    const elapsedMs = Math.max(0, nowMs - this.lastMs);
    this.lastMs = Math.max(this.lastMs, nowMs);
    this.tokens = Math.min(this.burst, this.tokens + (elapsedMs * this.qps) / 1000) - 1;
    return this.tokens >= 0 ? 0 : Math.ceil((-this.tokens * 1000) / this.qps);
  }

  forget(_item: string): void {
    // The budget is shared by all items; one item's success returns no token.
  }

  numRequeues(_item: string): number {
    return 0;
  }
}
