import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ProviderAccount } from '../../api/index.js';
import { FakeClock } from '../../runtime/testing/fake-clock.js';
import { TransientError } from '../errors.js';
import { createProvider } from '../registry.js';
import { SimProvider } from '../sim/index.js';
import { simCreateRequest } from '../sim/testing/sim-request.js';
import type { Instance, Provider } from '../types.js';
import type { RateLimitWait } from './observer.js';
import { ConcurrencyLimit } from './concurrency-limit.js';
import { AccountRateLimiter } from './rate-limiter.js';
import { innermostProvider, ResilientProvider } from './resilient-provider.js';
import { DEFAULT_RETRY_POLICY } from './retry.js';

/** Lets pending callbacks and the sim's file I/O run, without moving the fake clock. */
const settle = async (): Promise<void> => {
  for (let i = 0; i < 20; i++) await new Promise<void>((resolve) => setImmediate(resolve));
};

describe('createProvider takes a token of the account\'s rate limit before every call', () => {
  let dir: string;
  let clock: FakeClock;
  let waits: RateLimitWait[];

  const open = async (account: Partial<ProviderAccount> = {}, maxTokenWaitMs = 60_000): Promise<{ provider: Provider; sim: SimProvider }> => {
    const provider = await createProvider({ name: 'sim-a', type: 'sim', ...account }, {}, {
      simDir: dir,
      clock,
      rateLimitTimers: clock,
      maxTokenWaitMs,
      observer: { request: () => undefined, rateLimitWait: (w) => waits.push(w) },
      retryTiming: { sleep: () => Promise.resolve(), random: () => 0 },
    });
    const sim = innermostProvider(provider);
    if (!(sim instanceof SimProvider)) throw new Error('the sim account did not get a SimProvider');
    return { provider, sim };
  };

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'polyfleet-rate-limited-'));
    clock = new FakeClock();
    waits = [];
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('sends a create and a delete promptly while a flood of gets and lists has spent the reads\' budget', async () => {
    const { provider } = await open({ rateLimit: { readsPerSecond: 1, readBurst: 3 } });
    const created = await provider.create(simCreateRequest('m-1'));
    // Counted as tokens are granted, not as the sim answers: no file I/O in the count.
    const readsSent = (): number => waits.filter((w) => w.kind === 'read').length;
    const reads = Array.from({ length: 40 }, (_, i) => (i % 2 === 0 ? provider.get(created.id) : provider.list({ managedBy: 'test' })));
    await settle();
    expect(readsSent()).toBe(3);

    // Neither waits behind the 37 queued reads, and the clock has not moved.
    const second = await provider.create(simCreateRequest('m-2'));
    await provider.delete(created.id);
    expect(second.state).toBe('pending');
    expect(readsSent()).toBe(3);
    expect(waits.filter((w) => w.kind === 'write').map((w) => w.seconds)).toEqual([0, 0, 0]);

    // The reads drain at the configured 1 per second.
    clock.advance(10_000);
    await settle();
    expect(readsSent()).toBe(13);
    clock.advance(27_000);
    await Promise.all(reads);
    const readWaits = waits.filter((w) => w.kind === 'read');
    expect(readWaits).toHaveLength(40);
    expect(readWaits[0]).toEqual({ provider: 'sim', account: 'sim-a', kind: 'read', seconds: 0 });
    expect(Math.max(...readWaits.map((w) => w.seconds))).toBeGreaterThan(30);
  });

  it('hands a wait longer than its bound back as Throttled, which is not retried in place', async () => {
    const { provider } = await open({ rateLimit: { readsPerSecond: 0.1, readBurst: 1 } }, 5_000);
    await provider.regions();
    await expect(provider.regions()).rejects.toMatchObject({ kind: 'throttled', account: 'sim-a', retryAfterMs: 10_000 });
    expect(waits).toHaveLength(1);
  });

  it('uses the account\'s configured write burst instead of the default', async () => {
    const { provider } = await open({ rateLimit: { writesPerSecond: 0.5, writeBurst: 1 } });
    await provider.create(simCreateRequest('m-1'));
    let deleted = false;
    const deleting = provider.delete('sim-none').then(() => (deleted = true));
    await settle();
    expect(deleted).toBe(false);
    clock.advance(2_000);
    await deleting;
    expect(waits.map((w) => [w.kind, w.seconds])).toEqual([
      ['write', 0],
      ['write', 2],
    ]);
  });

  it('takes a token for every retry, which costs the cloud\'s budget like any call', async () => {
    // An adapter without I/O, so the retry asks for its token before the clock moves.
    const created: Instance = {
      id: 'i-1',
      account: 'sim-a',
      region: 'na-east',
      zone: 'na-east-a',
      instanceType: 'sim.small',
      state: 'pending',
      addresses: [],
      tags: {},
      createdAt: clock.now().toISOString(),
      hourlyPrice: '0.01',
    };
    let attempts = 0;
    const unused = (): Promise<never> => Promise.reject(new Error('not called'));
    const flaky: Provider = {
      type: 'sim',
      account: 'sim-a',
      ...{ regions: unused, offerings: unused, image: unused, get: unused, list: unused, describe: unused, delete: unused },
      create: () => (++attempts === 1 ? Promise.reject(new TransientError('try again', 'sim-a')) : Promise.resolve(created)),
    };
    const limiter = new AccountRateLimiter({ reads: { capacity: 1, refillPerSecond: 1 }, writes: { capacity: 1, refillPerSecond: 1 } }, clock);
    const provider = new ResilientProvider(flaky, { name: 'sim-a', type: 'sim' }, {
      retry: DEFAULT_RETRY_POLICY,
      timing: { sleep: () => Promise.resolve(), random: () => 0 },
      limit: new ConcurrencyLimit(4),
      rateLimiter: limiter,
      observer: { request: () => undefined, rateLimitWait: (w) => waits.push(w) },
      elapsedMs: () => 0,
    });
    let done = false;
    const creating = provider.create(simCreateRequest('m-1')).then(() => (done = true));
    await settle();
    expect(attempts).toBe(1);
    expect(done).toBe(false);
    clock.advance(1_000);
    await creating;
    expect(attempts).toBe(2);
    expect(waits.map((w) => w.seconds)).toEqual([0, 1]);
  });

  it('leaves the sim fast by default', async () => {
    const { provider } = await open();
    await Promise.all(Array.from({ length: 200 }, () => provider.regions()));
    expect(waits.every((w) => w.seconds === 0)).toBe(true);
  });
});
