import { describe, expect, it } from '@jest/globals';
import { FakeClock } from '../../runtime/testing/fake-clock.js';
import { TokenBucket } from './token-bucket.js';

/** Lets every pending promise callback run. */
const settle = () => new Promise<void>((resolve) => setImmediate(resolve));

/** Starts `n` takes and records, in order, which have been granted. */
function takeMany(bucket: TokenBucket, n: number, label: string, granted: string[], priority = false): Promise<void>[] {
  return Array.from({ length: n }, (_, i) =>
    bucket.take(priority).then(() => {
      granted.push(`${label}${String(i)}`);
    }),
  );
}

describe('TokenBucket', () => {
  it('lets a full burst through at once, then one call per refill interval', async () => {
    const clock = new FakeClock();
    const bucket = new TokenBucket({ capacity: 5, refillPerSecond: 2 }, clock);
    const granted: string[] = [];
    void takeMany(bucket, 8, 'r', granted);
    await settle();
    expect(granted).toEqual(['r0', 'r1', 'r2', 'r3', 'r4']);
    clock.advance(499);
    await settle();
    expect(granted).toHaveLength(5);
    clock.advance(1);
    await settle();
    expect(granted).toHaveLength(6);
    clock.advance(1000);
    await settle();
    expect(granted).toEqual(['r0', 'r1', 'r2', 'r3', 'r4', 'r5', 'r6', 'r7']);
    expect(bucket.queued).toBe(0);
  });

  it('refills while idle only up to its capacity', async () => {
    const clock = new FakeClock();
    const bucket = new TokenBucket({ capacity: 3, refillPerSecond: 10 }, clock);
    const granted: string[] = [];
    void takeMany(bucket, 3, 'a', granted);
    await settle();
    expect(bucket.available).toBe(0);
    clock.advance(60_000);
    expect(bucket.available).toBe(3);
    void takeMany(bucket, 4, 'b', granted);
    await settle();
    expect(granted.filter((g) => g.startsWith('b'))).toEqual(['b0', 'b1', 'b2']);
  });

  it('grants waiters in arrival order', async () => {
    const clock = new FakeClock();
    const bucket = new TokenBucket({ capacity: 1, refillPerSecond: 1 }, clock);
    const granted: string[] = [];
    void takeMany(bucket, 1, 'first', granted);
    void takeMany(bucket, 3, 'later', granted);
    for (let i = 0; i < 3; i++) {
      clock.advance(1000);
      await settle();
    }
    expect(granted).toEqual(['first0', 'later0', 'later1', 'later2']);
  });

  it('serves priority takers before ordinary ones waiting longer, and keeps the reserve for them', async () => {
    const clock = new FakeClock();
    const bucket = new TokenBucket({ capacity: 10, refillPerSecond: 1, reserveShare: 0.4 }, clock);
    const granted: string[] = [];
    void takeMany(bucket, 20, 'read', granted);
    await settle();
    // Ordinary takers stop at the reserve: 10 tokens, 4 kept.
    expect(granted).toHaveLength(6);
    void takeMany(bucket, 4, 'write', granted, true);
    await settle();
    expect(granted.slice(6)).toEqual(['write0', 'write1', 'write2', 'write3']);
    // A priority taker with the bucket empty is next, ahead of the 14 reads queued before it.
    void takeMany(bucket, 1, 'late-write', granted, true);
    clock.advance(1000);
    await settle();
    expect(granted.at(-1)).toBe('late-write0');
    // Reads resume only once the reserve is whole again (4 more tokens), then one per second.
    clock.advance(4000);
    await settle();
    expect(granted.at(-1)).toBe('late-write0');
    clock.advance(1000);
    await settle();
    expect(granted.at(-1)).toBe('read6');
  });

  it('takes what the budget owner says is left, down or up, and wakes waiters when it is more', async () => {
    const clock = new FakeClock();
    const bucket = new TokenBucket({ capacity: 100, refillPerSecond: 1 }, clock);
    bucket.resync(2);
    expect(bucket.available).toBe(2);
    const granted: string[] = [];
    void takeMany(bucket, 5, 'r', granted);
    await settle();
    expect(granted).toHaveLength(2);
    bucket.resync(50);
    await settle();
    expect(granted).toHaveLength(5);
    bucket.resync(500, 20);
    expect(bucket.available).toBe(20);
  });

  it('scales its refill with a capacity the budget owner reports, keeping the window', async () => {
    const clock = new FakeClock();
    const bucket = new TokenBucket({ capacity: 5000, refillPerSecond: 5000 / 3600 }, clock);
    bucket.resync(0, 100);
    // 100 an hour: one token every 36 s.
    expect(bucket.estimateWaitMs()).toBe(36_000);
    const granted: string[] = [];
    void takeMany(bucket, 1, 'r', granted);
    clock.advance(35_999);
    await settle();
    expect(granted).toEqual([]);
    clock.advance(1);
    await settle();
    expect(granted).toEqual(['r0']);
  });

  it('estimates the wait of a newcomer from the queue ahead of it and its reserve', async () => {
    const clock = new FakeClock();
    const bucket = new TokenBucket({ capacity: 10, refillPerSecond: 2, reserveShare: 0.2 }, clock);
    expect(bucket.estimateWaitMs()).toBe(0);
    void takeMany(bucket, 8, 'r', []);
    await settle();
    // 2 tokens left, both reserved: an ordinary taker needs 1 more, a priority one none.
    expect(bucket.estimateWaitMs(true)).toBe(0);
    expect(bucket.estimateWaitMs()).toBe(500);
    void takeMany(bucket, 3, 'q', []);
    expect(bucket.estimateWaitMs()).toBe(2000);
  });

  it('refuses a bucket that could never grant anything', () => {
    expect(() => new TokenBucket({ capacity: 0, refillPerSecond: 1 })).toThrow(RangeError);
    expect(() => new TokenBucket({ capacity: 5, refillPerSecond: 0 })).toThrow(/more than 0 tokens per second, not 0/);
  });
});
