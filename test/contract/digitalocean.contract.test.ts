import { afterEach, describe, expect, it } from '@jest/globals';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { describeProviderContract, type ProviderHarness } from '../../providers/contract.js';
import { describeControllerSafety } from './controller-safety.js';
import { DigitalOceanProvider } from '../../providers/digitalocean/index.js';
import type { DigitalOceanProviderOptions } from '../../providers/digitalocean/index.js';
import { tagsForRequest } from '../../providers/digitalocean/tags.js';
import { AuthError, CapacityError, InvalidRequestError, ProviderFault, QuotaError, ThrottledError, TransientError } from '../../providers/errors.js';
import { createProvider } from '../../providers/registry.js';
import type { CreateRequest } from '../../providers/types.js';
import { powerAction, startFakeDigitalOcean } from '../fakes/digitalocean/index.js';
import type { FakeDigitalOcean, FakeDigitalOceanOptions } from '../fakes/digitalocean/index.js';
import { closeServer, recordingServer, settledWithin } from '../fakes/redirect-servers.js';

const ACCOUNT = 'do-contract';
const PAGE_SIZE = 3;

const doHarness: ProviderHarness = {
  pageSize: PAGE_SIZE,
  missingInstanceId: '999999999',
  // A deleted droplet is gone at once (GET → 404), not kept as terminated.
  keepsDeletedInstances: false,
  async open() {
    const fake = await startFakeDigitalOcean({ maxPerPage: PAGE_SIZE });
    const open = (token: string): DigitalOceanProvider => new DigitalOceanProvider({ account: ACCOUNT, token, endpoint: fake.endpoint });
    return {
      provider: open(fake.token),
      inject: (op, kind) => {
        fake.inject(op, kind);
      },
      withCredential: (secret) => open(secret),
      reopen: () => open(fake.token),
      stop: (instanceId) => powerAction(fake, instanceId, 'power_off'),
      close: () => fake.stop(),
    };
  },
};

describeProviderContract('digitalocean', doHarness);
describeControllerSafety('digitalocean', doHarness);

/** Epoch ms that moves only when told: the fake's rate-limit window and the adapter's wait share it. */
function manualClock(startMs = 1_800_000_000_000): { nowMs: () => number; advance: (ms: number) => void } {
  let now = startMs;
  return {
    nowMs: () => now,
    advance: (ms) => {
      now += ms;
    },
  };
}

describe('DigitalOcean adapter against the fake API', () => {
  let fake: FakeDigitalOcean | undefined;
  const start = async (options: FakeDigitalOceanOptions = {}): Promise<FakeDigitalOcean> => {
    fake = await startFakeDigitalOcean(options);
    return fake;
  };
  const adapter = (f: FakeDigitalOcean, options: Partial<DigitalOceanProviderOptions> = {}): DigitalOceanProvider =>
    new DigitalOceanProvider({ account: ACCOUNT, token: f.token, endpoint: f.endpoint, ...options });
  const request = (machineUid: string, over: Partial<CreateRequest> = {}): CreateRequest => ({
    machineUid,
    attempt: 1,
    managedBy: 'do-test',
    pool: 'workers',
    namespace: 'default',
    region: 'nyc3',
    zone: 'nyc3',
    instanceType: 's-1vcpu-1gb',
    image: 'ubuntu-24-04-x64',
    ...over,
  });

  afterEach(async () => {
    await fake?.stop();
    fake = undefined;
  });

  describe('rate limit', () => {
    const WINDOW_MS = 60_000;

    it('waits until ratelimit-reset once the budget is spent, instead of spending a request on a 429', async () => {
      const clock = manualClock();
      const f = await start({ rateLimit: { limit: 3, windowMs: WINDOW_MS }, nowMs: clock.nowMs });
      const slept: number[] = [];
      const sleep = (ms: number): Promise<void> => {
        slept.push(ms);
        clock.advance(ms);
        return Promise.resolve();
      };
      const p = adapter(f, { maxRateLimitWaitMs: 2 * WINDOW_MS, rateLimitTiming: { nowMs: clock.nowMs, sleep } });
      for (let i = 0; i < 3; i++) await p.regions();
      expect(slept).toEqual([]);
      clock.advance(10_000);
      expect((await p.regions()).length).toBeGreaterThan(0);
      expect(slept).toEqual([WINDOW_MS - 10_000]);
      expect(f.refusedForRateLimit()).toBe(0);
    });

    it('fails Throttled with the wait, sending nothing, when the reset is further away than it may wait', async () => {
      const clock = manualClock();
      const f = await start({ rateLimit: { limit: 2, windowMs: WINDOW_MS }, nowMs: clock.nowMs });
      const p = adapter(f, { maxRateLimitWaitMs: 5_000, rateLimitTiming: { nowMs: clock.nowMs, sleep: () => Promise.reject(new Error('must not sleep')) } });
      await p.regions();
      await p.list({ managedBy: 'do-test' });
      const error = await p.offerings('nyc3').catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ThrottledError);
      expect(error).toMatchObject({ retryAfterMs: WINDOW_MS, account: ACCOUNT });
      expect(f.refusedForRateLimit()).toBe(0);
    });

    it("maps DigitalOcean's 429 to Throttled with retryAfterMs from ratelimit-reset when another client spent the budget", async () => {
      const clock = manualClock();
      const f = await start({ rateLimit: { limit: 2, windowMs: WINDOW_MS }, nowMs: clock.nowMs });
      const other = adapter(f);
      await other.regions();
      clock.advance(1_000);
      await other.regions();
      const unaware = adapter(f, { rateLimitTiming: { nowMs: clock.nowMs, sleep: () => Promise.reject(new Error('must not sleep')) } });
      const error = await unaware.get('3164444').catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ThrottledError);
      expect(error).toMatchObject({ retryAfterMs: WINDOW_MS - 1_000 });
      expect(f.refusedForRateLimit()).toBe(1);
    });
  });

  it('reports a new droplet pending, then running with its public and private addresses', async () => {
    const p = adapter(await start({ pollsUntilActive: 2 }));
    const created = await p.create(request('m-active'));
    expect(created).toMatchObject({ state: 'pending', addresses: [], region: 'nyc3', zone: 'nyc3', hourlyPrice: '0.00893' });
    expect((await p.get(created.id))?.state).toBe('pending');
    const running = await p.get(created.id);
    expect(running?.state).toBe('running');
    expect(running?.addresses.map((a) => a.type).sort()).toEqual(['ExternalIP', 'InternalIP']);
  });

  it.each([
    { name: 'a size the region lacks is Capacity', over: { region: 'tor1', zone: 'tor1', instanceType: 'c-2' }, error: CapacityError },
    { name: 'an unknown image is InvalidRequest', over: { image: 'no-such-image-x64' }, error: InvalidRequestError },
    { name: 'an unknown size is InvalidRequest', over: { instanceType: 's-0vcpu-0gb' }, error: InvalidRequestError },
    { name: 'a closed region is Capacity', over: { region: 'nyc2', zone: 'nyc2' }, error: CapacityError },
    { name: 'a zone other than the region is InvalidRequest', over: { zone: 'nyc3-a' }, error: InvalidRequestError },
    { name: 'spot capacity, which DigitalOcean does not sell, is InvalidRequest', over: { capacityType: 'spot' as const }, error: InvalidRequestError },
  ])("classifies the fake's own validation: $name", async ({ over, error }) => {
    const f = await start();
    await expect(adapter(f).create(request('m-invalid', over))).rejects.toBeInstanceOf(error);
    expect(f.dropletCount()).toBe(0);
  });

  it('settles on the oldest droplet when a crash or race left two of one (machineUid, attempt), and deletes the younger', async () => {
    const f = await start();
    const req = request('m-twins');
    const post = async (): Promise<number> => {
      const response = await fetch(`${f.endpoint}/v2/droplets`, {
        method: 'POST',
        headers: { authorization: `Bearer ${f.token}`, 'content-type': 'application/json' },
        body: JSON.stringify({ name: 'twin', region: req.region, size: req.instanceType, image: req.image, tags: tagsForRequest(req, ACCOUNT) }),
      });
      expect(response.status).toBe(202);
      return ((await response.json()) as { droplet: { id: number } }).droplet.id;
    };
    const [older, younger] = [await post(), await post()];
    const p = adapter(f);
    f.inject('delete', 'transient');
    await expect(p.create(req)).rejects.toBeInstanceOf(TransientError);
    expect(f.dropletCount()).toBe(2);
    expect((await p.create(req)).id).toBe(String(older));
    expect(await p.get(String(younger))).toBeUndefined();
    expect(f.dropletCount()).toBe(1);
  });

  it('fails the create when the look for twins after it fails, and its retry returns the droplet it made, never a second', async () => {
    const f = await start();
    const p = adapter(f);
    f.inject('list', 'transient', 1);
    const error = await p.create(request('m-check')).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TransientError);
    expect(f.dropletCount()).toBe(1);
    const [made] = await p.list({ managedBy: 'do-test', machineUid: 'm-check' });
    expect((await p.create(request('m-check'))).id).toBe(made?.id);
    expect(f.dropletCount()).toBe(1);
  });

  it('shows a powered-off droplet as stopped (it bills), lists it, and destroys it', async () => {
    const f = await start({ pollsUntilActive: 1 });
    const p = adapter(f);
    const created = await p.create(request('m-off'));
    expect((await p.get(created.id))?.state).toBe('running');
    for (const type of ['shutdown', 'power_off'] as const) await powerAction(f, created.id, type);
    expect(await p.get(created.id)).toMatchObject({ state: 'stopped', addresses: expect.arrayContaining([expect.objectContaining({ type: 'ExternalIP' })]) });
    expect((await p.list({ managedBy: 'do-test', machineUid: 'm-off' })).map((i) => [i.id, i.state])).toEqual([[created.id, 'stopped']]);
    await p.delete(created.id);
    expect(await p.get(created.id)).toBeUndefined();
    expect(f.dropletCount()).toBe(0);
  });

  it('lists by machine (every attempt) and by region, and gets or deletes by region only there', async () => {
    const p = adapter(await start());
    const first = await p.create(request('m-where'));
    const second = await p.create(request('m-where', { attempt: 2, region: 'ams3', zone: 'ams3' }));
    await p.create(request('m-else'));
    const listed = async (over: Partial<Parameters<DigitalOceanProvider['list']>[0]>): Promise<string[]> => (await p.list({ managedBy: 'do-test', ...over })).map((i) => i.id).sort();
    expect(await listed({ machineUid: 'm-where' })).toEqual([first.id, second.id].sort());
    expect(await listed({ machineUid: 'm-where', region: 'ams3' })).toEqual([second.id]);
    expect(await listed({ machineUid: 'm-where', pool: 'workers', namespace: 'default', region: 'nyc3' })).toEqual([first.id]);
    expect(await listed({ region: 'sfo3' })).toEqual([]);
    expect(await p.get(second.id, 'nyc3')).toBeUndefined();
    await p.delete(second.id, 'nyc3');
    expect((await p.get(second.id, 'ams3'))?.id).toBe(second.id);
    await p.delete(second.id, 'ams3');
    expect(await p.get(second.id)).toBeUndefined();
  });

  it("words one cause the same every time: DigitalOcean's request_id, new on every answer, is left out", async () => {
    const f = await start();
    const p = adapter(f);
    const raw = async (): Promise<unknown> => (await fetch(`${f.endpoint}/v2/droplets/1`, { headers: { authorization: `Bearer ${f.token}` } })).json();
    const [a, b] = [(await raw()) as { request_id: string }, (await raw()) as { request_id: string }];
    expect(a.request_id).not.toBe(b.request_id);
    const messages: string[] = [];
    const messageOf = (e: unknown): string => (e instanceof Error ? e.message : 'no error');
    for (let i = 0; i < 2; i++) {
      f.inject('list', 'transient');
      messages.push(await p.list({ managedBy: 'do-test' }).then(() => 'no error', messageOf));
      f.inject('create', 'capacity');
      messages.push(await p.create(request('m-same')).then(() => 'no error', messageOf));
    }
    expect(messages[2]).toBe(messages[0]);
    expect(messages[3]).toBe(messages[1]);
    expect(messages[0]).toContain('DigitalOcean list answered 500 server_error: Server was unable to give you a response.');
    expect(messages.join('\n')).not.toMatch(/request_id|[0-9a-f]{8}-[0-9a-f]{4}-/);
  });

  it('refuses every call of an account without a token with Auth that names the credential key', async () => {
    const f = await start();
    const p = await createProvider({ name: 'do-nokey', type: 'digitalocean', endpoint: f.endpoint }, {}, { retry: { maxAttempts: 1 } });
    await expect(p.regions()).rejects.toBeInstanceOf(AuthError);
    await expect(p.list({ managedBy: 'do-test' })).rejects.toThrow(/do-nokey.*credential key "token"/);
  });

  it('prices offerings and instances from its price map before the API price_hourly, saying which', async () => {
    const p = adapter(await start(), { prices: { 's-1vcpu-1gb': '0.005' }, clock: { now: () => new Date('2026-12-01T10:00:00Z') } });
    expect((await p.offerings('nyc3')).find((o) => o.instanceType === 's-1vcpu-1gb')).toMatchObject({ hourlyPrice: '0.005', priceSource: 'override' });
    expect((await p.offerings('nyc3')).find((o) => o.instanceType === 's-2vcpu-4gb')).toMatchObject({ hourlyPrice: '0.03571', priceSource: 'api', pricedAt: '2026-12-01T10:00:00.000Z' });
    expect((await p.create(request('m-priced'))).hourlyPrice).toBe('0.005');
  });

  it('creates from an image id as well as a slug, and takes a retry by the other name as the same image', async () => {
    const p = adapter(await start());
    const byId = await p.create(request('m-image-id', { image: '182556282' }));
    expect((await p.create(request('m-image-id', { image: 'ubuntu-24-04-x64' }))).id).toBe(byId.id);
    await expect(p.create(request('m-image-id', { image: 'debian-12-x64' }))).rejects.toBeInstanceOf(InvalidRequestError);
  });

  it('maps the droplet limit to Quota', async () => {
    const p = adapter(await start({ dropletLimit: 1 }));
    await p.create(request('m-first'));
    await expect(p.create(request('m-second'))).rejects.toBeInstanceOf(QuotaError);
  });

  it('keeps request tags that DigitalOcean tag names cannot hold as they are, and lists by pool without namespace', async () => {
    const p = adapter(await start());
    const created = await p.create(request('m-tags', { tags: { 'example.com/team': 'a b/c', polyfleet: 'x:y' } }));
    expect(created.tags).toMatchObject({ 'example.com/team': 'a b/c', polyfleet: 'x:y' });
    expect((await p.list({ managedBy: 'do-test', pool: 'workers' })).map((i) => i.id)).toEqual([created.id]);
  });

  it('keeps managers whose names differ only in case apart, though DigitalOcean tags ignore case', async () => {
    const p = adapter(await start());
    const upper = await p.create(request('m-upper', { managedBy: 'Polyfleet' }));
    const lower = await p.create(request('m-lower', { managedBy: 'polyfleet' }));
    expect((await p.list({ managedBy: 'Polyfleet' })).map((i) => i.id)).toEqual([upper.id]);
    expect((await p.list({ managedBy: 'polyfleet' })).map((i) => i.id)).toEqual([lower.id]);
  });

  it('offers GPU sizes with their GPU, skips closed regions, and refuses an unknown region', async () => {
    const p = adapter(await start());
    expect((await p.regions()).map((r) => r.name)).toEqual(['nyc3', 'sfo3', 'ams3', 'tor1']);
    const gpu = (await p.offerings('tor1')).find((o) => o.instanceType === 'gpu-h100x1-80gb');
    expect(gpu).toMatchObject({ cpu: 20, memoryGiB: 240, gpu: { count: 1, model: 'nvidia-h100' }, hourlyPrice: '3.39', zones: ['tor1'] });
    expect((await p.offerings('tor1')).map((o) => o.instanceType)).not.toContain('c-2');
    await expect(p.offerings('mars1')).rejects.toBeInstanceOf(InvalidRequestError);
    expect(await p.image('ams3', 'debian-12')).toBe('debian-12-x64');
    expect(await p.image('tor1', 'debian-12')).toBeUndefined();
  });

  it('is reached through the registry with the token credential and the endpoint as a user writes it', async () => {
    const f = await start();
    const p = await createProvider({ name: 'do', type: 'digitalocean', endpoint: f.endpoint }, { token: f.token }, { retry: { maxAttempts: 1 } });
    const created = await p.create(request('m-registry'));
    expect((await p.list({ managedBy: 'do-test' })).map((i) => i.id)).toEqual([created.id]);
    await p.delete(created.id);
    expect(f.dropletCount()).toBe(0);
  });
});

describe('DigitalOcean adapter and redirects', () => {
  const server = recordingServer;
  const close = closeServer;
  const settled = settledWithin;

  // axios (follow-redirects) followed them: it dropped the token for another port, but took the
  // other server's answer for DigitalOcean's (a TypeError on its body, not a ProviderError).
  it.each([307, 302])('follows no HTTP %i: the target never sees the token, and every call rejects with a ProviderError naming the endpoint', async (status) => {
    const token = `dop_v1_redirect_${process.pid}`;
    const target = await server(() => ({ status: 200, headers: { 'content-type': 'application/json' }, body: '{}' }));
    const redirector = await server((url) => ({ status, headers: { location: `${target.url}${url}` } }));
    try {
      const p = new DigitalOceanProvider({ account: ACCOUNT, token, endpoint: redirector.url });
      const calls: (() => Promise<unknown>)[] = [
        () => p.regions(),
        () => p.offerings('nyc3'),
        () => p.image('nyc3', 'ubuntu-24.04'),
        () => p.list({ managedBy: 'x' }),
        () => p.get('3164444'),
        () => p.delete('3164444'),
        () => p.create({ machineUid: 'm', attempt: 1, managedBy: 'x', pool: 'p', namespace: 'n', region: 'nyc3', zone: 'nyc3', instanceType: 's-1vcpu-1gb', image: 'ubuntu-24-04-x64' }),
      ];
      for (const call of calls) {
        const outcome = await settled(call(), 10_000);
        expect(outcome).toBeInstanceOf(ProviderFault);
        expect(outcome).toMatchObject({ kind: 'invalidRequest', message: expect.stringContaining(`${redirector.url} answered HTTP ${status}, a redirect, which polyfleet does not follow`) });
        expect((outcome as Error).message).not.toContain(token);
      }
      expect(redirector.seen.length).toBeGreaterThan(0);
      expect(redirector.seen.every((h) => h.authorization === `Bearer ${token}`)).toBe(true);
      expect(target.seen).toEqual([]);
    } finally {
      await close(redirector.server);
      await close(target.server);
    }
  });
});

describe('fake DigitalOcean droplet actions', () => {
  it('answers a power_off with an in-progress action object, refuses another while it runs, the droplet staying active meanwhile', async () => {
    const fake = await startFakeDigitalOcean({ pollsUntilActive: 0, msPerAction: 60_000 * 60 });
    try {
      const headers = { authorization: `Bearer ${fake.token}`, 'content-type': 'application/json' };
      const p = adapterFor(fake.endpoint, fake.token);
      const created = await p.create({ machineUid: 'm-act', attempt: 1, managedBy: 'x', pool: 'p', namespace: 'n', region: 'nyc3', zone: 'nyc3', instanceType: 's-1vcpu-1gb', image: 'ubuntu-24-04-x64' });
      const post = (type: string): Promise<Response> => fetch(`${fake.endpoint}/v2/droplets/${created.id}/actions`, { method: 'POST', headers, body: JSON.stringify({ type }) });
      const started = await post('power_off');
      expect(started.status).toBe(201);
      const { action } = (await started.json()) as { action: Record<string, unknown> };
      expect(action).toMatchObject({ status: 'in-progress', type: 'power_off', completed_at: null, resource_id: Number(created.id), resource_type: 'droplet', region_slug: 'nyc3' });
      expect(typeof action.id).toBe('number');
      expect(action.started_at).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/);
      const again = await post('shutdown');
      expect(again.status).toBe(422);
      expect(await again.json()).toMatchObject({ id: 'unprocessable_entity', message: 'Droplet already has a pending event.', request_id: expect.any(String) });
      expect(await p.get(created.id)).toMatchObject({ state: 'running' });
      const byDroplet = await fetch(`${fake.endpoint}/v2/droplets/${created.id}/actions/${String(action.id)}`, { headers });
      expect(await byDroplet.json()).toMatchObject({ action: { id: action.id, status: 'in-progress' } });
      expect((await post('reboot_into_space')).status).toBe(422);
      expect((await fetch(`${fake.endpoint}/v2/droplets/999999999/actions`, { method: 'POST', headers, body: '{"type":"power_off"}' })).status).toBe(404);
    } finally {
      await fake.stop();
    }
  });
});

describe('fake DigitalOcean, standalone', () => {
  it('serves from a plain tsx run, printing its endpoint and token, and stops on SIGTERM', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'test/fakes/digitalocean/serve.ts'], { stdio: ['ignore', 'pipe', 'inherit'] });
    try {
      const [line] = (await once(createInterface({ input: child.stdout }), 'line')) as [string];
      const { endpoint, token } = JSON.parse(line) as { endpoint: string; token: string };
      const regions = await adapterFor(endpoint, token).regions();
      expect(regions.length).toBeGreaterThan(0);
    } finally {
      child.kill('SIGTERM');
    }
    const [code] = (await once(child, 'exit')) as [number | null];
    expect(code).toBe(0);
  });
});

function adapterFor(endpoint: string, token: string): DigitalOceanProvider {
  return new DigitalOceanProvider({ account: ACCOUNT, token, endpoint });
}
