import { describe, expect, it } from '@jest/globals';
import { FakeClock } from '../testing/fake-clock.js';
import { defaultControllerRateLimiter } from './default-rate-limiter.js';
import { ItemExponentialFailureRateLimiter, MaxOfRateLimiter } from './rate-limiter.js';
import { TokenBucketRateLimiter } from './token-bucket.js';

describe('ItemExponentialFailureRateLimiter', () => {
  it('waits 5 ms, then doubles per failure of the same item, capped at 1000 s', () => {
    const limiter = new ItemExponentialFailureRateLimiter();
    const delays = Array.from({ length: 30 }, () => limiter.when('a'));
    expect(delays.slice(0, 6)).toEqual([5, 10, 20, 40, 80, 160]);
    // 5 ms × 2^17 = 655.36 s is the last step under the cap; 2^18 would be 1310.72 s.
    expect(delays[17]).toBe(655_360);
    expect(delays.slice(18)).toEqual(Array.from({ length: 12 }, () => 1_000_000));
    expect(limiter.numRequeues('a')).toBe(30);
  });

  it('keeps each item on its own count, and forget starts an item over', () => {
    const limiter = new ItemExponentialFailureRateLimiter();
    limiter.when('a');
    limiter.when('a');
    expect(limiter.when('b')).toBe(5);
    limiter.forget('a');
    expect(limiter.numRequeues('a')).toBe(0);
    expect(limiter.when('a')).toBe(5);
  });

  it('stays at the cap however many failures pile up', () => {
    const limiter = new ItemExponentialFailureRateLimiter(5, 1_000_000);
    for (let i = 0; i < 2_000; i++) limiter.when('a');
    expect(limiter.when('a')).toBe(1_000_000);
  });
});

describe('TokenBucketRateLimiter', () => {
  it('lets a burst through at once, then spaces retries 1/qps apart, refilling as time passes', () => {
    const clock = new FakeClock();
    const bucket = new TokenBucketRateLimiter(clock, 10, 100);
    const burst = Array.from({ length: 100 }, (_, i) => bucket.when(`k${i}`));
    expect(burst.every((d) => d === 0)).toBe(true);
    expect([bucket.when('x'), bucket.when('y'), bucket.when('z')]).toEqual([100, 200, 300]);
    // Three tokens are owed; after 1 s ten more have accrued, so seven remain.
    clock.advance(1_000);
    const next = Array.from({ length: 8 }, (_, i) => bucket.when(`n${i}`));
    expect(next.slice(0, 7)).toEqual([0, 0, 0, 0, 0, 0, 0]);
    expect(next[7]).toBe(100);
  });

  it('refills to no more than the burst', () => {
    const clock = new FakeClock();
    const bucket = new TokenBucketRateLimiter(clock, 10, 5);
    clock.advance(3_600_000);
    const delays = Array.from({ length: 6 }, () => bucket.when('a'));
    expect(delays).toEqual([0, 0, 0, 0, 0, 100]);
  });

  it('refuses a bucket that could never hand out a token', () => {
    expect(() => new TokenBucketRateLimiter(new FakeClock(), 0, 10)).toThrow(/qps=0/);
  });
});

describe('defaultControllerRateLimiter', () => {
  it('takes the longer of the per-item backoff and the overall budget', () => {
    const clock = new FakeClock();
    const limiter = defaultControllerRateLimiter(clock);
    expect([limiter.when('a'), limiter.when('a'), limiter.when('a')]).toEqual([5, 10, 20]);
    for (let i = 0; i < 97; i++) limiter.when(`other-${i}`);
    // The bucket is now empty: a fresh item waits for the next token, not just 5 ms.
    expect(limiter.when('fresh')).toBe(100);
    expect(limiter.numRequeues('a')).toBe(3);
    limiter.forget('a');
    expect(limiter.numRequeues('a')).toBe(0);
  });

  it('combines any limiters with MaxOf', () => {
    const limiter = new MaxOfRateLimiter(new ItemExponentialFailureRateLimiter(1, 8), new ItemExponentialFailureRateLimiter(3, 4));
    expect([1, 2, 3, 4, 5].map(() => limiter.when('a'))).toEqual([3, 4, 4, 8, 8]);
  });
});
