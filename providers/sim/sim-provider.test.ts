import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FakeClock } from '../../runtime/testing/fake-clock.js';
import { describeProviderContract } from '../contract.js';
import { CapacityError, InvalidRequestError, QuotaError, ThrottledError } from '../errors.js';
import { writeFaultRules } from './faults.js';
import { readInstanceFiles } from './instance-files.js';
import { SimFileError } from './json-fields.js';
import { accountPriceFactor } from './pricing.js';
import { SIM_ACTOR_ENV, SimProvider } from './sim-provider.js';
import type { SimProviderOptions } from './sim-provider.js';
import { simCreateRequest } from './testing/sim-request.js';

const tempDir = (): Promise<string> => mkdtemp(join(tmpdir(), 'polyfleet-sim-'));

describeProviderContract('sim', {
  pageSize: 3,
  missingInstanceId: 'sim-0000000000000000',
  keepsDeletedInstances: true,
  async open() {
    const dir = await tempDir();
    // Short latencies: the stop and delete cases wait for them on the real clock.
    const make = (o: Partial<SimProviderOptions> = {}): SimProvider =>
      new SimProvider({ account: 'sim-contract', dir, pageSize: 3, createLatencyMs: 200, deleteLatencyMs: 200, stopLatencyMs: 200, ...o });
    const provider = make();
    return {
      provider,
      inject: (op, kind) => {
        provider.failNext(op, kind);
      },
      withCredential: (secret) => make({ apiKey: secret }),
      reopen: () => make(),
      stop: async (id) => {
        if (!(await provider.stop(id))) throw new Error(`the sim did not stop ${id}: no such pending or running instance`);
      },
      withRegions: (regions) => make({ regions }),
      close: () => rm(dir, { recursive: true, force: true }),
    };
  },
});

describe('SimProvider', () => {
  let dir: string;
  let clock: FakeClock;
  const open = (o: Partial<SimProviderOptions> = {}): SimProvider =>
    new SimProvider({ account: 'sim-a', dir, clock, createLatencyMs: 30_000, deleteLatencyMs: 10_000, ...o });
  const req = simCreateRequest;

  beforeEach(async () => {
    dir = await tempDir();
    clock = new FakeClock();
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('keeps an instance pending for the create latency and terminating for the delete latency, on the injected clock', async () => {
    const sim = open();
    const created = await sim.create(req('m1'));
    expect(created.state).toBe('pending');
    clock.advance(29_999);
    expect((await sim.get(created.id))?.state).toBe('pending');
    clock.advance(1);
    const running = await sim.get(created.id);
    expect(running?.state).toBe('running');
    expect(running?.addresses.map((a) => a.type)).toEqual(['InternalIP', 'ExternalIP', 'Hostname']);
    await sim.delete(created.id);
    expect((await sim.get(created.id))?.state).toBe('terminating');
    expect((await sim.list({ managedBy: 'test' })).map((i) => i.state)).toEqual(['terminating']);
    clock.advance(10_000);
    expect((await sim.get(created.id))?.state).toBe('terminated');
    expect(await sim.list({ managedBy: 'test' })).toEqual([]);
  });

  it('sees the same instances from a second provider on the same dir, as after a restart', async () => {
    const created = await open().create(req('m1'));
    const restarted = open();
    expect((await restarted.list({ managedBy: 'test' })).map((i) => i.id)).toEqual([created.id]);
    expect((await restarted.create(req('m1'))).id).toBe(created.id);
  });

  it('keeps accounts apart in one sim dir, with prices that differ by account', async () => {
    const a = open();
    const b = open({ account: 'sim-b' });
    const ia = await a.create(req('m1'));
    const ib = await b.create(req('m1'));
    expect(ib.id).not.toBe(ia.id);
    expect((await a.list({ managedBy: 'test' })).map((i) => i.id)).toEqual([ia.id]);
    expect(await a.get(ib.id)).toBeUndefined();
    await a.delete(ib.id);
    expect((await b.get(ib.id))?.state).toBe('pending');
    expect(accountPriceFactor('sim-a')).not.toBe(accountPriceFactor('sim-b'));
    const price = async (p: SimProvider) => (await p.offerings('na-east')).find((o) => o.instanceType === 'sim.small')?.hourlyPrice;
    expect(await price(a)).not.toBe(await price(b));
    expect(await price(a)).toBe(await price(open()));
  });

  it('offers GPU and arm64 types only in some zones, and refuses a create where the type is not offered', async () => {
    const sim = open();
    const gpu = (await sim.offerings('na-east')).find((o) => o.gpu.count > 0);
    expect(gpu).toMatchObject({ instanceType: 'sim.gpu.large', gpu: { count: 1, model: 'nvidia-l4' }, zones: ['na-east-a'] });
    expect((await sim.offerings('na-east')).find((o) => o.arch === 'arm64')?.zones).toEqual(['na-east-a', 'na-east-b']);
    await expect(sim.create(req('m1', { zone: 'na-east-b', instanceType: 'sim.gpu.large' }))).rejects.toThrow(
      /"sim.gpu.large" is not offered in zone na-east-b/,
    );
    await expect(sim.create(req('m1', { zone: 'eu-central-a' }))).rejects.toThrow(/region na-east has no zone "eu-central-a"/);
    await expect(sim.create(req('m1', { image: 'ami-123' }))).rejects.toThrow(/image "ami-123" does not exist in region na-east/);
    await expect(sim.offerings('mars-1')).rejects.toBeInstanceOf(InvalidRequestError);
  });

  it('fails by rate reproducibly for a seed', async () => {
    const pattern = async (seed: number): Promise<string> => {
      const sim = new SimProvider({ account: 'sim-a', dir: await tempDir(), clock, seed });
      sim.addFaultRule({ op: 'create', kind: 'capacity', rate: 0.5 });
      let outcome = '';
      for (let i = 0; i < 24; i++) outcome += await sim.create(req(`m${i}`)).then(() => '.', (e: unknown) => (e instanceof CapacityError ? 'C' : '?'));
      await rm(sim.dir, { recursive: true, force: true });
      return outcome;
    };
    const first = await pattern(7);
    expect(first).toMatch(/^[.C]+$/);
    expect(first).toContain('.');
    expect(first).toContain('C');
    expect(await pattern(7)).toBe(first);
    expect(await pattern(8)).not.toBe(first);
  });

  it('takes faults.json rules with filters and retryAfterMs, and a die rule that fails instances later', async () => {
    const sim = open();
    await writeFaultRules(dir, [
      { op: 'create', kind: 'capacity', rate: 1, zone: 'na-east-b' },
      { op: 'list', kind: 'throttled', rate: 1, account: 'sim-other', retryAfterMs: 250 },
      { op: 'get', kind: 'throttled', rate: 1, account: 'sim-a', retryAfterMs: 250 },
      { op: 'create', kind: 'die', rate: 1, afterMs: 5_000 },
    ]);
    await expect(sim.create(req('m1', { zone: 'na-east-b' }))).rejects.toThrow(/no capacity for sim.small in na-east-b \(sim fault injected by faults.json\)/);
    const created = await sim.create(req('m1'));
    await expect(sim.list({ managedBy: 'test' })).resolves.toHaveLength(1);
    await expect(sim.get(created.id)).rejects.toMatchObject({ kind: 'throttled', retryAfterMs: 250 });
    await writeFaultRules(dir, []);
    clock.advance(30_000);
    expect((await sim.get(created.id))?.state).toBe('running');
    clock.advance(5_000);
    expect(await sim.get(created.id)).toMatchObject({ state: 'failed', stateReason: 'the instance died (injected fault)' });
  });

  it('names the file and field of a bad faults.json', async () => {
    await writeFile(join(dir, 'faults.json'), JSON.stringify({ rules: [{ op: 'create', kind: 'capacity', rate: 2 }] }));
    await expect(open().regions()).rejects.toThrow(new SimFileError(join(dir, 'faults.json'), 'rules[0].rate', 'must be a number from 0 to 1, got 2'));
  });

  it('fails the next call with failNext, once', async () => {
    const sim = open();
    sim.failNext('create', new ThrottledError('slow down', 'sim-a', 100));
    await expect(sim.create(req('m1'))).rejects.toMatchObject({ kind: 'throttled', retryAfterMs: 100 });
    await expect(sim.create(req('m1'))).resolves.toMatchObject({ state: 'pending' });
  });

  it('kills an instance: failed stays listed until deleted, vanished is forgotten but a retry still returns it', async () => {
    const sim = open();
    const a = await sim.create(req('a'));
    const b = await sim.create(req('b'));
    expect(await sim.kill(a.id)).toBe(true);
    expect(await sim.kill(a.id)).toBe(false);
    expect(await sim.get(a.id)).toMatchObject({ state: 'failed', stateReason: 'the instance failed (killed in the sim)' });
    expect(await sim.kill(b.id, 'vanish')).toBe(true);
    expect(await sim.get(b.id)).toBeUndefined();
    expect((await sim.list({ managedBy: 'test' })).map((i) => i.id)).toEqual([a.id]);
    expect(await sim.create(req('b'))).toMatchObject({ id: b.id, state: 'terminated' });
    expect(await sim.kill('sim-0000000000000000')).toBe(false);
  });

  it('records who deleted or stopped an instance (the actor, else $POLYFLEET_SIM_ACTOR), as a cloud\'s audit log does', async () => {
    const a = await open({ actor: 'install-a' }).create(req('a'));
    const b = await open().create(req('b'));
    await open({ actor: 'install-a' }).delete(a.id);
    await open({ actor: 'install-b', stopLatencyMs: 0 }).stop(b.id);
    expect(await readInstanceFiles(dir, 'sim-a', a.id)).toMatchObject({ deleted: { by: 'install-a' } });
    expect(await readInstanceFiles(dir, 'sim-a', b.id)).toMatchObject({ stopped: { by: 'install-b' } });
    const saved = process.env.POLYFLEET_SIM_ACTOR;
    expect(SIM_ACTOR_ENV).toBe('POLYFLEET_SIM_ACTOR');
    try {
      process.env.POLYFLEET_SIM_ACTOR = 'from-env';
      await open().delete(b.id);
      await open({ actor: 'install-b' }).delete(b.id);
    } finally {
      if (saved === undefined) delete process.env.POLYFLEET_SIM_ACTOR;
      else process.env.POLYFLEET_SIM_ACTOR = saved;
    }
    expect((await readInstanceFiles(dir, 'sim-a', b.id))?.deleted?.by).toBe('from-env');
    const c = await open().create(req('c'));
    await open().delete(c.id);
    expect((await readInstanceFiles(dir, 'sim-a', c.id))?.deleted).not.toHaveProperty('by');
  });

  it('refuses creates past maxInstances with QuotaError, and counts terminated instances out', async () => {
    const sim = open({ maxInstances: 2 });
    const first = await sim.create(req('a'));
    await sim.create(req('b'));
    await expect(sim.create(req('c'))).rejects.toBeInstanceOf(QuotaError);
    await sim.delete(first.id);
    clock.advance(10_000);
    await expect(sim.create(req('c'))).resolves.toMatchObject({ state: 'pending' });
  });

  it('uses catalogue.json from the sim dir in place of the default, and names what is wrong with a bad one', async () => {
    const catalogue = {
      regions: [{ name: 'lab', continent: 'EU', country: 'CH', zones: ['lab-1'] }],
      instanceTypes: [{ name: 'tiny', cpu: 1, memoryGiB: 0.5, arch: 'arm64', diskGiB: 5, basePrice: '0.001' }],
      images: ['alpine'],
    };
    await writeFile(join(dir, 'catalogue.json'), JSON.stringify(catalogue));
    expect(await open().regions()).toEqual([{ name: 'lab', zones: ['lab-1'], continent: 'EU', country: 'CH' }]);
    expect(await open().image('lab', 'alpine')).toBe('sim-img-alpine-lab');
    await writeFile(join(dir, 'catalogue.json'), JSON.stringify({ ...catalogue, regions: [{ ...catalogue.regions[0], continent: 'XX' }] }));
    await expect(open().regions()).rejects.toThrow(/catalogue\.json: regions\[0\]\.continent: must be one of AF, AN, AS, EU, NA, OC, SA, got "XX"/);
  });

  it('refuses malformed requests and a retry with other parameters', async () => {
    const sim = open();
    await expect(sim.create(req('m1', { attempt: 0 }))).rejects.toThrow(/attempt must be a whole number ≥ 1, got 0/);
    await expect(sim.create(req(''))).rejects.toThrow(/empty machineUid/);
    const created = await sim.create(req('m1'));
    await expect(sim.create(req('m1', { instanceType: 'sim.micro' }))).rejects.toThrow(
      new RegExp(`already made instance ${created.id} with instanceType sim.small`),
    );
  });
});
