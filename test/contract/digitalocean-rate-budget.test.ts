import { afterEach, describe, expect, it } from '@jest/globals';
import { DigitalOceanProvider } from '../../providers/digitalocean/index.js';
import { createProvider } from '../../providers/registry.js';
import type { RateLimitWait } from '../../providers/resilience/index.js';
import type { CreateRequest, Provider } from '../../providers/types.js';
import { FakeClock } from '../../runtime/testing/fake-clock.js';
import { startFakeDigitalOcean, type FakeDigitalOcean } from '../fakes/digitalocean/index.js';

/** Lets pending callbacks and loopback HTTP answers run, without moving the limiter's fake clock. */
async function until(condition: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 500 && !condition(); i++) await new Promise<void>((resolve) => setTimeout(resolve, 2));
  if (!condition()) throw new Error(`gave up waiting: ${what}`);
}

const request: CreateRequest = {
  machineUid: 'm-budget',
  attempt: 1,
  managedBy: 'do-budget',
  pool: 'workers',
  namespace: 'default',
  region: 'nyc3',
  zone: 'nyc3',
  instanceType: 's-1vcpu-1gb',
  image: 'ubuntu-24-04-x64',
};

describe("DigitalOcean's ratelimit-* headers pace the account's calls", () => {
  let fake: FakeDigitalOcean | undefined;
  afterEach(async () => {
    await fake?.stop();
    fake = undefined;
  });

  /** The fake with a budget of 100 an hour, of which another client of the same token spent `spent`. */
  async function spentBy(other: number): Promise<FakeDigitalOcean> {
    fake = await startFakeDigitalOcean({ rateLimit: { limit: 100, windowMs: 3_600_000 } });
    const elsewhere = new DigitalOceanProvider({ account: 'elsewhere', token: fake.token, endpoint: fake.endpoint });
    for (let i = 0; i < other; i++) await elsewhere.regions();
    return fake;
  }

  function ours(f: FakeDigitalOcean, clock: FakeClock, waits: RateLimitWait[], maxTokenWaitMs?: number): Promise<Provider> {
    return createProvider({ name: 'do-budget', type: 'digitalocean', endpoint: f.endpoint }, { token: f.token }, {
      ...(maxTokenWaitMs === undefined ? {} : { maxTokenWaitMs }),
      rateLimitTimers: clock,
      retry: { maxAttempts: 1 },
      observer: { request: () => undefined, rateLimitWait: (w) => waits.push(w) },
    });
  }

  it("refuses reads, Throttled until the writes' share is back, once ratelimit-remaining falls into it, and still sends the create", async () => {
    const f = await spentBy(89);
    const waits: RateLimitWait[] = [];
    const provider = await ours(f, new FakeClock(), waits);

    // The first answer says 10 of 100 are left: the last 10% are kept for creates and deletes, and
    // the hour's budget comes back at 100/3600 per second, one request in 36 s: longer than a call
    // waits in place, so the read is handed back to be requeued, without a request.
    await provider.regions();
    const error = await provider.list({ managedBy: 'do-budget' }).catch((e: unknown) => e);
    expect(error).toMatchObject({ kind: 'throttled', account: 'do-budget', retryAfterMs: 36_000 });

    const created = await provider.create(request);
    expect(created.state).toBe('pending');
    expect(waits.map((w) => [w.kind, w.seconds])).toEqual([
      ['read', 0],
      ['write', 0],
    ]);
    expect(f.refusedForRateLimit()).toBe(0);
  });

  it('with a wide bound, holds the reads in place until the budget has refilled past the share, then sends them', async () => {
    const f = await spentBy(89);
    const clock = new FakeClock();
    const waits: RateLimitWait[] = [];
    const provider = await ours(f, clock, waits, 3_600_000);
    const readsSent = (): number => waits.filter((w) => w.kind === 'read').length;
    await provider.regions();
    let listed = 0;
    const lists = Array.from({ length: 3 }, () => provider.list({ managedBy: 'do-budget' }).then(() => (listed += 1)));
    await new Promise<void>((resolve) => setTimeout(resolve, 20));
    expect(readsSent()).toBe(1);

    const created = await provider.create(request);
    expect(created.state).toBe('pending');
    expect(listed).toBe(0);

    clock.advance(600_000);
    await until(() => listed > 0, 'a held read to be sent');
    await Promise.all(lists);
    expect(f.refusedForRateLimit()).toBe(0);
  });

  it('sends reads at once while ratelimit-remaining is well above the writes\' share', async () => {
    const f = await spentBy(10);
    const clock = new FakeClock();
    const waits: RateLimitWait[] = [];
    const provider = await ours(f, clock, waits);
    await provider.regions();
    await Promise.all(Array.from({ length: 5 }, () => provider.list({ managedBy: 'do-budget' })));
    expect(waits.map((w) => w.seconds)).toEqual([0, 0, 0, 0, 0, 0]);
  });
});
