import { describe, expect, it } from '@jest/globals';
import { FakeClock } from '../../runtime/testing/fake-clock.js';
import { DEFAULT_RATE_LIMITS, rateLimitsFor } from './rate-limit-defaults.js';
import { AccountRateLimiter, callKind, type CallKind } from './rate-limiter.js';

/** Lets every pending promise callback run. */
const settle = () => new Promise<void>((resolve) => setImmediate(resolve));

function flood(limiter: AccountRateLimiter, kind: CallKind, n: number, done: string[], label: string = kind): void {
  for (let i = 0; i < n; i++) {
    void limiter.acquire(kind).then(() => {
      done.push(`${label}${String(i)}`);
    });
  }
}

describe('callKind', () => {
  it('counts create and delete as writes and every other call, any describe included, as a read', () => {
    expect(['create', 'delete'].map(callKind)).toEqual(['write', 'write']);
    expect(['regions', 'offerings', 'image', 'get', 'list', 'describe'].map(callKind)).toEqual(Array(6).fill('read'));
  });
});

describe('AccountRateLimiter', () => {
  it('sends a create and a delete at once while a flood of reads waits for tokens', async () => {
    const clock = new FakeClock();
    const limiter = new AccountRateLimiter({ reads: { capacity: 5, refillPerSecond: 1 }, writes: { capacity: 2, refillPerSecond: 0.5 } }, clock);
    const done: string[] = [];
    flood(limiter, 'read', 200, done);
    await settle();
    expect(done).toHaveLength(5);
    flood(limiter, 'write', 2, done);
    await settle();
    expect(done.slice(5)).toEqual(['write0', 'write1']);
    clock.advance(1000);
    await settle();
    expect(done.at(-1)).toBe('read5');
  });

  it('says how long a call waited', async () => {
    const clock = new FakeClock();
    const limiter = new AccountRateLimiter({ reads: { capacity: 1, refillPerSecond: 4 }, writes: { capacity: 1, refillPerSecond: 1 } }, clock);
    expect(await limiter.acquire('read')).toBe(0);
    const second = limiter.acquire('read');
    clock.advance(250);
    expect(await second).toBe(250);
  });

  it('refuses at once, Throttled with the expected wait, a call that would wait longer than its bound', async () => {
    const clock = new FakeClock();
    const limiter = new AccountRateLimiter({ reads: { capacity: 2, refillPerSecond: 1 }, writes: { capacity: 1, refillPerSecond: 1 } }, clock, {
      account: 'aws-east',
      maxWaitMs: 3_000,
    });
    const done: string[] = [];
    flood(limiter, 'read', 5, done);
    await settle();
    expect(done).toHaveLength(2);
    const error = await limiter.acquire('read').catch((e: unknown) => e);
    expect(error).toMatchObject({ kind: 'throttled', account: 'aws-east', retryAfterMs: 4_000 });
    expect(String(error)).toContain("raise the account's rateLimit");
    // A write is not behind the reads.
    expect(await limiter.acquire('write')).toBe(0);
  });

  describe('with a budget shared by reads and writes (DigitalOcean)', () => {
    const shared = (clock: FakeClock) =>
      new AccountRateLimiter(
        {
          reads: { capacity: 100, refillPerSecond: 100 },
          writes: { capacity: 100, refillPerSecond: 100 },
          shared: { capacity: 5000, refillPerSecond: 5000 / 3600, writeReserveShare: 0.1 },
        },
        clock,
      );

    it('goes at full speed while the cloud reports plenty remaining', async () => {
      const clock = new FakeClock();
      const limiter = shared(clock);
      limiter.report({ limit: 5000, remaining: 4000 });
      const done: string[] = [];
      flood(limiter, 'read', 50, done);
      await settle();
      expect(done).toHaveLength(50);
    });

    it('holds reads back once remaining falls into the writes\' reserve, while creates and deletes still go', async () => {
      const clock = new FakeClock();
      const limiter = shared(clock);
      limiter.report({ limit: 5000, remaining: 510 });
      const done: string[] = [];
      flood(limiter, 'read', 50, done);
      await settle();
      expect(done).toHaveLength(10);
      flood(limiter, 'write', 3, done);
      await settle();
      expect(done.slice(10)).toEqual(['write0', 'write1', 'write2']);
      // Reads come back only as the hour's budget refills past the reserve (one per 0.72 s).
      clock.advance(2_000);
      await settle();
      expect(done.slice(13)).toEqual([]);
      clock.advance(60_000);
      await settle();
      expect(done.length).toBeGreaterThan(13);
      expect(done.length).toBeLessThan(60);
    });

    it('paces every call to the budget\'s refill when the cloud reports it spent, writes first', async () => {
      const clock = new FakeClock();
      const limiter = shared(clock);
      limiter.report({ limit: 5000, remaining: 0 });
      const done: string[] = [];
      flood(limiter, 'read', 5, done);
      flood(limiter, 'write', 2, done);
      await settle();
      expect(done).toEqual([]);
      clock.advance(720);
      await settle();
      expect(done).toEqual(['write0']);
      clock.advance(720);
      await settle();
      expect(done).toEqual(['write0', 'write1']);
    });

    it('speeds up again when the cloud reports the budget back', async () => {
      const clock = new FakeClock();
      const limiter = shared(clock);
      limiter.report({ remaining: 0 });
      const done: string[] = [];
      flood(limiter, 'read', 5, done);
      await settle();
      expect(done).toEqual([]);
      limiter.report({ remaining: 4999 });
      await settle();
      expect(done).toHaveLength(5);
    });
  });
});

describe('rateLimitsFor', () => {
  it("lays each configured field over its cloud's default and keeps the rest", () => {
    expect(rateLimitsFor('aws', { readsPerSecond: 50 })).toEqual({
      reads: { capacity: DEFAULT_RATE_LIMITS.aws.reads.capacity, refillPerSecond: 50 },
      writes: DEFAULT_RATE_LIMITS.aws.writes,
    });
    const digitalocean = rateLimitsFor('digitalocean', { writeBurst: 3, writesPerSecond: 0.2 });
    expect(digitalocean.writes).toEqual({ capacity: 3, refillPerSecond: 0.2 });
    expect(digitalocean.shared).toEqual(DEFAULT_RATE_LIMITS.digitalocean.shared);
    expect(rateLimitsFor('gcp', undefined)).toEqual(DEFAULT_RATE_LIMITS.gcp);
  });

  it('keeps every default under its documented limit, reads and writes of DigitalOcean together under its 250 a minute', () => {
    const { aws, gcp, digitalocean } = DEFAULT_RATE_LIMITS;
    expect(aws.reads.capacity <= 100 && aws.reads.refillPerSecond <= 20).toBe(true);
    expect(aws.writes.capacity <= 50 && aws.writes.refillPerSecond <= 5).toBe(true);
    expect(gcp.reads.refillPerSecond * 60 + gcp.reads.capacity <= 1500 && gcp.writes.refillPerSecond * 60 + gcp.writes.capacity <= 1500).toBe(true);
    const doMinute = (digitalocean.reads.refillPerSecond + digitalocean.writes.refillPerSecond) * 60 + digitalocean.reads.capacity + digitalocean.writes.capacity;
    expect(doMinute).toBeLessThan(250);
  });
});
