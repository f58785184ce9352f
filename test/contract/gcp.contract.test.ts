import { afterEach, beforeEach, describe, expect, it, jest } from '@jest/globals';
import { describeControllerSafety } from './controller-safety.js';
import { describeProviderContract } from '../../providers/contract.js';
import { AuthError, CapacityError, InvalidRequestError, ProviderFault } from '../../providers/errors.js';
import { GcpProvider } from '../../providers/gcp/index.js';
import { createProvider } from '../../providers/registry.js';
import { FakeClock } from '../../runtime/testing/fake-clock.js';
import { TAG_MACHINE, TAG_POOL } from '../../providers/types.js';
import type { CreateRequest, Instance } from '../../providers/types.js';
import { startFakeGce } from '../fakes/gce/index.js';
import type { FakeGce } from '../fakes/gce/index.js';
import { gcpHarness, gcpOptions } from '../fakes/gce/harness.js';
import type { GceCredentialKind } from '../fakes/gce/harness.js';
import { closeServer, recordingServer, settledWithin } from '../fakes/redirect-servers.js';

// Nothing here may ask the metadata server for credentials; if anything tried, it would fail at once.
process.env.GCE_METADATA_HOST = '127.0.0.1:9';
// Loading the SDK and signing with RSA take seconds on a shared, loaded machine; no test waits on time.
jest.setTimeout(30_000);

describeProviderContract('gcp', gcpHarness('accessToken', 3));
describeProviderContract('gcp with a service-account key', gcpHarness('serviceAccountKey', 4));
describeControllerSafety('gcp', gcpHarness('accessToken', 3));

/** Polls `read` until `done` holds of its value; the deadline only bounds a broken test. */
async function until<T>(read: () => Promise<T>, done: (value: T) => boolean, what: string, deadlineMs = 5_000): Promise<T> {
  const started = Date.now();
  for (;;) {
    const value = await read();
    if (done(value)) return value;
    if (Date.now() - started > deadlineMs) throw new Error(`timed out after ${deadlineMs} ms waiting for ${what}; last saw ${JSON.stringify(value)}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

describe('GcpProvider on the fake Compute Engine', () => {
  let gce: FakeGce;
  let gcp: GcpProvider;
  let image: string;
  const req = (machineUid: string, over: Partial<CreateRequest> = {}): CreateRequest => ({
    machineUid,
    attempt: 1,
    managedBy: 'gcp-test',
    pool: 'workers',
    namespace: 'default',
    region: 'us-central1',
    zone: 'us-central1-b',
    instanceType: 'e2-medium',
    image,
    ...over,
  });
  const rest = (path: string, init: RequestInit = {}): Promise<Response> =>
    fetch(`${gce.endpoint}/compute/v1/projects/${gce.project}/${path}`, { ...init, headers: { authorization: `Bearer ${gce.accessToken}` } });

  beforeEach(async () => {
    gce = await startFakeGce();
    gcp = new GcpProvider(gcpOptions(gce, 'accessToken', { prices: { 'e2-micro': '0.5' } }));
    image = (await gcp.image('us-central1', 'ubuntu-24.04')) ?? '';
  });
  afterEach(async () => {
    await gce.stop();
  });

  it('offers only priced machine types, with arch, GPU, boot disk and zones from the catalogue, account prices first', async () => {
    const offerings = await gcp.offerings('us-central1');
    // On demand here; gcp-prices.contract.test.ts has the Spot offerings beside them.
    const byType = new Map(offerings.filter((o) => o.capacityType === undefined).map((o) => [o.instanceType, o]));
    expect(byType.has('c4a-standard-1')).toBe(false);
    expect(byType.get('e2-micro')).toMatchObject({ cpu: 2, memoryGiB: 1, hourlyPrice: '0.5', diskGiB: 20, zones: ['us-central1-a', 'us-central1-b', 'us-central1-c', 'us-central1-f'] });
    expect(byType.get('e2-micro')?.priceSource).toBe('override');
    // Priced from the Cloud Billing Catalog served beside the fake (gcp-prices.contract.test.ts has the arithmetic).
    expect(byType.get('e2-small')).toMatchObject({ hourlyPrice: '0.016752', priceSource: 'api' });
    expect(byType.get('t2a-standard-1')).toMatchObject({ arch: 'arm64', zones: ['us-central1-a', 'us-central1-b', 'us-central1-f'] });
    expect(byType.get('g2-standard-4')).toMatchObject({ arch: 'amd64', gpu: { count: 1, model: 'nvidia-l4' }, zones: ['us-central1-a'] });
    await expect(gcp.offerings('mars-1')).rejects.toBeInstanceOf(InvalidRequestError);
  });

  it("resolves an os to its image family, and boots an Arm machine type from the family's arm64 sibling", async () => {
    expect(image).toBe('https://www.googleapis.com/compute/v1/projects/ubuntu-os-cloud/global/images/family/ubuntu-2404-lts-amd64');
    expect(await gcp.image('europe-west4', 'debian-12')).toBe('https://www.googleapis.com/compute/v1/projects/debian-cloud/global/images/family/debian-12');
    const arm = await gcp.create(req('m-arm', { instanceType: 't2a-standard-1' }));
    expect(arm).toMatchObject({ instanceType: 't2a-standard-1', zone: 'us-central1-b' });
    expect((await gcp.create(req('m-arm', { instanceType: 't2a-standard-1' }))).id).toBe(arm.id);
    const x86Image = 'https://www.googleapis.com/compute/v1/projects/ubuntu-os-cloud/global/images/ubuntu-2404-noble-amd64-v20251101';
    await expect(gcp.create(req('m-arm-pinned', { instanceType: 't2a-standard-1', image: x86Image }))).rejects.toThrow(/boot disk architecture \(X86_64\) is not compatible/);
  });

  it('waits for the insert operation, and the instance comes up running with internal and external addresses', async () => {
    const created = await gcp.create(req('m-run', { userData: '#cloud-config\n' }));
    expect(created.id).toMatch(/^us-central1-b\/pf-[0-9a-f]{40}-a1$/);
    expect(gce.calls.get('zoneOperations.wait')).toBeGreaterThanOrEqual(2);
    const running = await until(() => gcp.get(created.id), (i) => i?.state === 'running', 'the instance to run');
    expect(running?.addresses.map((a) => a.type).sort()).toEqual(['ExternalIP', 'InternalIP']);
    const raw = (await (await rest(`zones/us-central1-b/instances/${created.id.split('/')[1] ?? ''}`)).json()) as { metadata: { items: { key: string; value: string }[] } };
    expect(raw.metadata.items.find((i) => i.key === 'user-data')?.value).toBe('#cloud-config\n');
  });

  it('moves to a new requestId when GCE replays a failed insert, so a later retry of the same attempt can succeed', async () => {
    gce.inject('instances.insert', 'capacity');
    await expect(gcp.create(req('m-cap'))).rejects.toBeInstanceOf(CapacityError);
    const inserts = gce.calls.get('instances.insert') ?? 0;
    const created = await gcp.create(req('m-cap'));
    expect(created.tags[TAG_MACHINE]).toBe('m-cap');
    expect((gce.calls.get('instances.insert') ?? 0) - inserts).toBe(2);
    expect((await gcp.create(req('m-cap'))).id).toBe(created.id);
  });

  it('returns a forgotten instance as terminated, never a second one, when its create is retried after the delete', async () => {
    const created = await gcp.create(req('m-gone'));
    await gcp.delete(created.id);
    await until(() => gcp.get(created.id), (i) => i === undefined, 'the instance to be gone');
    const retried = await gcp.create(req('m-gone'));
    expect(retried).toMatchObject({ id: created.id, state: 'terminated' });
    expect((await gcp.list({ managedBy: 'gcp-test' })).map((i) => i.id)).toEqual([]);
  });

  it.each(['stop', 'suspend'])('lists a %sed instance (TERMINATED, SUSPENDED) as stopped, since it bills until deleted, and deletes it for real', async (how) => {
    const created = await gcp.create(req(`m-${how}`));
    expect((await rest(`zones/us-central1-b/instances/${created.id.split('/')[1] ?? ''}/${how}`, { method: 'POST' })).status).toBe(200);
    await until(() => gcp.get(created.id), (i) => i?.state === 'stopped', `the instance to ${how}`);
    expect((await gcp.list({ managedBy: 'gcp-test' })).map((i) => [i.id, i.state])).toEqual([[created.id, 'stopped']]);
    await gcp.delete(created.id);
    expect((await gcp.get(created.id))?.state ?? 'gone').toMatch(/^(terminating|gone)$/);
    await until(() => gcp.get(created.id), (i) => i === undefined, 'the stopped instance to be deleted');
    expect(await gcp.list({ managedBy: 'gcp-test' })).toEqual([]);
  });

  it('shows an instance another process deletes as stopping, and deleting it again replays that delete instead of meeting it as a conflict', async () => {
    const created = await gcp.create(req('m-twice'));
    const other = new GcpProvider(gcpOptions(gce, 'accessToken'));
    await other.delete(created.id);
    expect((await other.get(created.id))?.state ?? 'gone').toMatch(/^(terminating|gone)$/);
    expect((await gcp.get(created.id))?.state ?? 'gone').toMatch(/^(stopping|gone)$/);
    const deletes = gce.calls.get('instances.delete') ?? 0;
    await gcp.delete(created.id);
    expect((gce.calls.get('instances.delete') ?? 0) - deletes).toBeLessThanOrEqual(1);
    await until(() => gcp.get(created.id), (i) => i === undefined, 'the instance to be gone');
  });

  it('lists by machine (every attempt) and by region, a region outside any Strategy included, and rejects a region it cannot read', async () => {
    const a1 = await gcp.create(req('m-where'));
    const a2 = await gcp.create(req('m-where', { attempt: 2, region: 'europe-west4', zone: 'europe-west4-a' }));
    await gcp.create(req('m-other'));
    const listed = async (filter: Partial<Parameters<GcpProvider['list']>[0]>): Promise<string[]> => (await gcp.list({ managedBy: 'gcp-test', ...filter })).map((i) => i.id).sort();
    expect(await listed({ machineUid: 'm-where' })).toEqual([a1.id, a2.id].sort());
    expect(await listed({ machineUid: 'm-where', region: 'europe-west4' })).toEqual([a2.id]);
    expect(await listed({ region: 'asia-northeast1' })).toEqual([]);
    expect(await gcp.get(a2.id, 'us-central1')).toBeUndefined();
    await gcp.delete(a2.id, 'us-central1');
    expect((await gcp.get(a2.id, 'europe-west4'))?.state).not.toBe('terminating');
    const outage = await startFakeGce({ unreachableZones: ['europe-west4-b'] });
    try {
      const provider = new GcpProvider(gcpOptions(outage, 'accessToken'));
      await expect(provider.list({ managedBy: 'gcp-test', region: 'europe-west4' })).rejects.toMatchObject({ kind: 'transient', message: expect.stringContaining('zone europe-west4-b is unreachable') });
      await expect(provider.list({ managedBy: 'gcp-test' })).rejects.toMatchObject({ kind: 'transient' });
      expect(await provider.list({ managedBy: 'gcp-test', region: 'us-central1' })).toEqual([]);
    } finally {
      await outage.stop();
    }
  });

  it('words one cause the same every time: no operation name, request id or time in a message', async () => {
    const hurried = new GcpProvider(gcpOptions(gce, 'accessToken', { operationTimeoutMs: 0 }));
    const messages = await Promise.all(['m-slow-1', 'm-slow-2'].map((m) => hurried.create(req(m)).catch((e: unknown) => (e as Error).message)));
    expect(messages[0]).toContain('instances.insert e2-medium in us-central1-b: its operation is still PENDING after the wait deadline');
    expect(messages[1]).toBe(messages[0]);
    gce.inject('instances.aggregatedList', 'transient');
    const first = await gcp.list({ managedBy: 'gcp-test' }).catch((e: unknown) => (e as Error).message);
    gce.inject('instances.aggregatedList', 'transient');
    expect(await gcp.list({ managedBy: 'gcp-test' }).catch((e: unknown) => (e as Error).message)).toBe(first);
  });

  it("passes GCE's Retry-After and its reason on to a throttled call", async () => {
    gce.inject('instances.aggregatedList', 'throttled');
    await expect(gcp.list({ managedBy: 'gcp-test' })).rejects.toMatchObject({ kind: 'throttled', retryAfterMs: 2000, message: expect.stringContaining('HTTP 429 rateLimitExceeded') });
  });

  it('keeps pool names labels cannot hold exactly, and lists by them', async () => {
    const long = `Pool.${'x'.repeat(80)}`;
    const odd = await gcp.create(req('m-odd', { pool: 'Web.Tier_1' }));
    const longer = await gcp.create(req('m-long', { pool: long }));
    const listed = async (pool: string): Promise<Instance[]> => gcp.list({ managedBy: 'gcp-test', pool });
    expect((await listed('Web.Tier_1')).map((i) => [i.id, i.tags[TAG_POOL]])).toEqual([[odd.id, 'Web.Tier_1']]);
    expect((await listed(long)).map((i) => [i.id, i.tags[TAG_POOL]])).toEqual([[longer.id, long]]);
    expect(await listed('web.tier_1')).toEqual([]);
  });

  it('takes the project from a service-account key, and refuses a bad key or a missing project naming the account only', async () => {
    const byKey = new GcpProvider(gcpOptions(gce, 'serviceAccountKey'));
    expect((await byKey.regions()).map((r) => r.name)).toEqual(['asia-northeast1', 'europe-west4', 'us-central1']);
    const secret = 'not-a-key-7f3a9c';
    const bad = new GcpProvider({ account: 'gcp-bad', endpoint: gce.endpoint, credentials: { serviceAccountKey: secret } });
    const refused = await bad.regions().catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(AuthError);
    expect(String(refused)).toContain('gcp-bad');
    expect(String(refused)).not.toContain(secret);
    const projectless = new GcpProvider({ account: 'gcp-np', endpoint: gce.endpoint, credentials: { accessToken: gce.accessToken } });
    await expect(projectless.regions()).rejects.toThrow(/provider account "gcp-np": no project/);
  });

  it('leaves a zone that is DOWN out of its region and of the offerings', async () => {
    const outage = await startFakeGce({ downZones: ['us-central1-f'] });
    try {
      const provider = new GcpProvider(gcpOptions(outage, 'accessToken'));
      expect((await provider.regions()).find((r) => r.name === 'us-central1')?.zones).toEqual(['us-central1-a', 'us-central1-b', 'us-central1-c']);
      expect((await provider.offerings('us-central1')).flatMap((o) => o.zones)).not.toContain('us-central1-f');
    } finally {
      await outage.stop();
    }
  });

  it('reads regions again after 5 minutes, and never keeps a failed read', async () => {
    const clock = new FakeClock();
    const provider = new GcpProvider(gcpOptions(gce, 'accessToken', { clock }));
    gce.inject('regions.list', 'transient');
    await expect(provider.regions()).rejects.toMatchObject({ kind: 'transient' });
    const reads = (): number => gce.calls.get('regions.list') ?? 0;
    const before = reads();
    await provider.regions();
    await provider.offerings('us-central1');
    expect(reads() - before).toBe(1);
    clock.advance(5 * 60_000);
    await provider.regions();
    expect(reads() - before).toBe(2);
  });

  it('is made by the registry from a Strategy account whose endpoint is the fake', async () => {
    const provider = await createProvider({ name: 'gcp-a', type: 'gcp', endpoint: `${gce.endpoint}/`, project: gce.project }, { accessToken: gce.accessToken });
    expect(provider.type).toBe('gcp');
    expect((await provider.regions()).length).toBe(3);
  });

  it("answers a filter it cannot honour and a wrong token with Google's error bodies", async () => {
    const filtered = await rest(`aggregated/instances?filter=${encodeURIComponent('name = "x" OR labels.a = "b"')}`);
    expect(filtered.status).toBe(400);
    expect(await filtered.json()).toMatchObject({ error: { code: 400, errors: [{ reason: 'invalid' }], status: 'INVALID_ARGUMENT' } });
    const wrong = await fetch(`${gce.endpoint}/compute/v1/projects/${gce.project}/regions`, { headers: { authorization: 'Bearer nope' } });
    expect(wrong.status).toBe(401);
    expect(await wrong.json()).toMatchObject({ error: { code: 401, errors: [{ reason: 'authError' }], status: 'UNAUTHENTICATED' } });
  });
});

describe('GcpProvider and redirects', () => {
  const server = recordingServer;
  const close = closeServer;
  const settled = settledWithin;

  // gaxios fetches with node-fetch, which kept the bearer token on a redirect to another port of the
  // same host name (it compares host names, not origins) and answered with the other server's body.
  it.each([
    [307, 'accessToken'],
    [302, 'accessToken'],
    [307, 'serviceAccountKey'],
  ] as const)('follows no HTTP %i (%s): the target never sees the credential, and every call rejects with a ProviderError naming the endpoint', async (status, kind: GceCredentialKind) => {
    const gce = await startFakeGce();
    const target = await server(() => ({ status: 200, headers: { 'content-type': 'application/json' }, body: '{}' }));
    const redirector = await server((url) => ({ status, headers: { location: `${target.url}${url}` } }));
    try {
      const p = new GcpProvider(gcpOptions(gce, kind, { endpoint: redirector.url }));
      const calls: (() => Promise<unknown>)[] = [
        () => p.regions(),
        () => p.offerings('us-central1'),
        () => p.image('us-central1', 'ubuntu-24.04'),
        () => p.list({ managedBy: 'x' }),
        () => p.get('us-central1-a/pf-1-a1'),
        () => p.delete('us-central1-a/pf-1-a1'),
        () => p.create({ machineUid: 'm', attempt: 1, managedBy: 'x', pool: 'p', namespace: 'n', region: 'us-central1', zone: 'us-central1-a', instanceType: 'e2-micro', image: 'projects/ubuntu-os-cloud/global/images/family/ubuntu-2404-lts-amd64' }),
      ];
      for (const call of calls) {
        const outcome = await settled(call(), 10_000);
        expect(outcome).toBeInstanceOf(ProviderFault);
        expect(outcome).toMatchObject({ kind: 'invalidRequest', message: expect.stringContaining(`${redirector.url} answered HTTP ${status}, a redirect, which polyfleet does not follow`) });
      }
      expect(redirector.seen.length).toBeGreaterThan(0);
      expect(redirector.seen.every((h) => h.authorization?.startsWith('Bearer ') === true)).toBe(true);
      expect(target.seen).toEqual([]);
    } finally {
      await close(redirector.server);
      await close(target.server);
      await gce.stop();
    }
  });
});
