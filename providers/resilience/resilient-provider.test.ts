import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ProviderAccount } from '../../api/index.js';
import { FakeClock } from '../../runtime/testing/fake-clock.js';
import { ThrottledError } from '../errors.js';
import { createProvider } from '../registry.js';
import { SimProvider } from '../sim/index.js';
import type { Provider } from '../types.js';
import type { ProviderRequest } from './observer.js';
import { simCreateRequest } from '../sim/testing/sim-request.js';
import { innermostProvider } from './resilient-provider.js';

const req = simCreateRequest('m-1');

describe('createProvider wraps every adapter', () => {
  let dir: string;
  let requests: ProviderRequest[];
  let slept: number[];
  let elapsed: number;

  const open = async (account: Partial<ProviderAccount> = {}): Promise<{ provider: Provider; sim: SimProvider }> => {
    const provider = await createProvider({ name: 'sim-a', type: 'sim', ...account }, {}, {
      simDir: dir,
      clock: new FakeClock(),
      observer: { request: (r) => requests.push(r) },
      retryTiming: {
        sleep: (ms) => {
          slept.push(ms);
          return Promise.resolve();
        },
        random: () => 0.5,
      },
      elapsedMs: () => (elapsed += 250),
    });
    const sim = innermostProvider(provider);
    if (!(sim instanceof SimProvider)) throw new Error('the sim account did not get a SimProvider');
    return { provider, sim };
  };

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'polyfleet-resilient-'));
    requests = [];
    slept = [];
    elapsed = 0;
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it("replaces the price of an overridden instance type in offerings and in the instances it returns, leaving the others", async () => {
    const { provider, sim } = await open({ prices: { 'sim.small': '0.0042' } });
    const offerings = await provider.offerings('na-east');
    const small = offerings.find((o) => o.instanceType === 'sim.small');
    // The account's prices are on-demand prices: the spot offering of the same type keeps its spot price.
    const others = offerings.filter((o) => o.instanceType !== 'sim.small' || o.capacityType === 'spot');
    expect(small?.hourlyPrice).toBe('0.0042');
    expect(others.length).toBeGreaterThan(0);
    const key = (o: { instanceType: string; capacityType?: string }) => `${o.instanceType}/${o.capacityType ?? 'on-demand'}`;
    const simPrices = new Map((await sim.offerings('na-east')).map((o) => [key(o), o.hourlyPrice]));
    for (const o of others) expect(o.hourlyPrice).toBe(simPrices.get(key(o)));
    const created = await provider.create(req);
    expect(created.hourlyPrice).toBe('0.0042');
    expect((await provider.get(created.id))?.hourlyPrice).toBe('0.0042');
    expect((await provider.list({ managedBy: 'test' })).map((i) => i.hourlyPrice)).toEqual(['0.0042']);
  });

  it('retries a throttled create and tells the observer of each attempt with its code and duration', async () => {
    const { provider, sim } = await open();
    sim.failNext('create', new ThrottledError('slow down', 'sim-a', 300));
    sim.failNext('create', 'transient');
    const created = await provider.create(req);
    expect(created.tags['polyfleet.io/machine']).toBe('m-1');
    expect(slept).toEqual([300, 200]);
    expect(requests).toEqual([
      { provider: 'sim', account: 'sim-a', op: 'create', code: 'throttled', seconds: 0.25 },
      { provider: 'sim', account: 'sim-a', op: 'create', code: 'transient', seconds: 0.25 },
      { provider: 'sim', account: 'sim-a', op: 'create', code: 'ok', seconds: 0.25 },
    ]);
    expect(await sim.list({ managedBy: 'test' })).toHaveLength(1);
  });

  it('hands a capacity error over at once, observed once', async () => {
    const { provider, sim } = await open();
    sim.failNext('create', 'capacity');
    await expect(provider.create(req)).rejects.toMatchObject({ kind: 'capacity', account: 'sim-a' });
    expect(slept).toEqual([]);
    expect(requests.map((r) => r.code)).toEqual(['capacity']);
  });

  it('keeps the adapter\'s type and account', async () => {
    const { provider } = await open();
    expect(provider).toMatchObject({ type: 'sim', account: 'sim-a' });
  });

  it('passes the region of get and delete through to the adapter', async () => {
    const { provider } = await open();
    const created = await provider.create(req);
    expect(await provider.get(created.id, 'eu-central')).toBeUndefined();
    await provider.delete(created.id, 'eu-central');
    expect((await provider.get(created.id, 'na-east'))?.state).toBe('pending');
    await provider.delete(created.id, 'na-east');
    expect((await provider.get(created.id))?.state).toBe('terminating');
  });
});
