import type { Clock } from '../clock.js';
import { ItemExponentialFailureRateLimiter, MaxOfRateLimiter, type RateLimiter } from './rate-limiter.js';
import { TokenBucketRateLimiter } from './token-bucket.js';

/** client-go's DefaultControllerRateLimiter: max(per item 5 ms doubling to 1000 s, 10 qps with bursts of 100). */
export function defaultControllerRateLimiter(clock: Clock): RateLimiter {
  return new MaxOfRateLimiter(new ItemExponentialFailureRateLimiter(5, 1_000_000), new TokenBucketRateLimiter(clock, 10, 100));
}
