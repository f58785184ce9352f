import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FakeClock } from '../../runtime/testing/fake-clock.js';
import { InvalidRequestError } from '../errors.js';
import { writeFaultRules } from './faults.js';
import { accountDir } from './instance-files.js';
import { SimProvider } from './sim-provider.js';
import type { SimProviderOptions } from './sim-provider.js';
import { simCreateRequest as req } from './testing/sim-request.js';

describe('SimProvider stop, invisibility, machine and region scopes', () => {
  let dir: string;
  let clock: FakeClock;
  const open = (o: Partial<SimProviderOptions> = {}): SimProvider =>
    new SimProvider({ account: 'sim-a', dir, clock, createLatencyMs: 1_000, deleteLatencyMs: 10_000, stopLatencyMs: 5_000, ...o });
  const states = async (sim: SimProvider): Promise<string[]> => (await sim.list({ managedBy: 'test' })).map((i) => `${i.id} ${i.state}`);

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'polyfleet-sim-lifecycle-'));
    clock = new FakeClock();
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('stops an instance: stopping for the stop latency, then stopped and still listed, until a delete terminates it', async () => {
    const sim = open();
    const created = await sim.create(req('m1'));
    clock.advance(1_000);
    expect(await sim.stop(created.id)).toBe(true);
    expect(await sim.stop(created.id)).toBe(false);
    expect(await sim.get(created.id)).toMatchObject({ state: 'stopping' });
    clock.advance(5_000);
    const stopped = await sim.get(created.id);
    expect(stopped).toMatchObject({ state: 'stopped', stateReason: 'the instance was stopped (in the sim)' });
    expect(stopped?.addresses.map((a) => a.type)).toEqual(['InternalIP', 'Hostname']);
    expect(await states(sim)).toEqual([`${created.id} stopped`]);
    expect(await sim.kill(created.id)).toBe(false);
    expect(await sim.kill(created.id, 'vanish')).toBe(false);

    await sim.delete(created.id);
    expect(await sim.get(created.id)).toMatchObject({ state: 'terminating' });
    expect(await sim.stop(created.id)).toBe(false);
    clock.advance(10_000);
    expect(await sim.get(created.id)).toMatchObject({ state: 'terminated' });
    expect(await states(sim)).toEqual([]);
    expect(await sim.create(req('m1'))).toMatchObject({ id: created.id, state: 'terminated' });
  });

  it('keeps the stop in a marker file, so another process and a restart see it', async () => {
    const created = await open().create(req('m1'));
    expect(await open({ stopLatencyMs: 0 }).stop(created.id)).toBe(true);
    expect((await readdir(accountDir(dir, 'sim-a'))).sort()).toEqual([`${created.id}.json`, `${created.id}.stop.json`]);
    expect(await open().get(created.id)).toMatchObject({ state: 'stopped' });
  });

  it('stops a pending instance, but not a failed, missing or stopped one; a stopped instance no longer dies of a die fault', async () => {
    const sim = open();
    sim.addFaultRule({ op: 'create', kind: 'die', rate: 1, afterMs: 2_000 });
    const pending = await sim.create(req('m1'));
    expect(await sim.stop(pending.id)).toBe(true);
    clock.advance(10_000);
    expect(await sim.get(pending.id)).toMatchObject({ state: 'stopped' });
    const dying = await sim.create(req('m2'));
    clock.advance(3_000);
    expect(await sim.get(dying.id)).toMatchObject({ state: 'failed' });
    expect(await sim.stop(dying.id)).toBe(false);
    expect(await sim.stop('sim-0000000000000000')).toBe(false);
  });

  it('hides an instance an invisible rule picked from get, list and delete for forMs after its create, as EC2 does', async () => {
    const sim = open();
    sim.addFaultRule({ op: 'create', kind: 'invisible', rate: 1, forMs: 3_000, zone: 'na-east-a' });
    const hidden = await sim.create(req('m1'));
    const seen = await sim.create(req('m2', { zone: 'na-east-b' }));
    expect(hidden.state).toBe('pending');
    expect(await sim.get(hidden.id)).toBeUndefined();
    expect(await sim.get(hidden.id, 'na-east')).toBeUndefined();
    expect(await states(sim)).toEqual([`${seen.id} pending`]);
    expect(await sim.list({ managedBy: 'test', machineUid: 'm1' })).toEqual([]);
    await sim.delete(hidden.id);
    expect((await sim.create(req('m1'))).id).toBe(hidden.id);
    expect(await open().get(hidden.id)).toBeUndefined();
    clock.advance(3_000);
    expect(await sim.get(hidden.id)).toMatchObject({ state: 'running' });
    expect((await states(sim)).sort()).toEqual([`${hidden.id} running`, `${seen.id} running`].sort());
  });

  it('takes an invisible rule from faults.json, filtered by instance type', async () => {
    const sim = open();
    await writeFaultRules(dir, [{ op: 'create', kind: 'invisible', rate: 1, forMs: 500, instanceType: 'sim.micro' }]);
    const hidden = await sim.create(req('m1', { instanceType: 'sim.micro' }));
    const seen = await sim.create(req('m2'));
    expect(await sim.get(hidden.id)).toBeUndefined();
    expect(await sim.get(seen.id)).toBeDefined();
    clock.advance(500);
    expect(await sim.get(hidden.id)).toBeDefined();
  });

  it("lists one Machine's instances with machineUid", async () => {
    const sim = open();
    const a1 = await sim.create(req('a'));
    const a2 = await sim.create(req('a', { attempt: 2 }));
    await sim.create(req('b'));
    expect((await sim.list({ managedBy: 'test', machineUid: 'a' })).map((i) => i.id).sort()).toEqual([a1.id, a2.id].sort());
    expect(await sim.list({ managedBy: 'other', machineUid: 'a' })).toEqual([]);
  });

  it('uses only its configured regions, yet gets, lists and deletes by region in any region of the sim', async () => {
    const old = await open().create(req('m1'));
    const sim = open({ regions: ['eu-central'] });
    expect((await sim.regions()).map((r) => r.name)).toEqual(['eu-central']);
    await expect(sim.offerings('na-east')).rejects.toThrow(/region "na-east" is not one the account uses \(eu-central\)/);
    await expect(sim.create(req('m2'))).rejects.toBeInstanceOf(InvalidRequestError);
    expect(await sim.list({ managedBy: 'test' })).toEqual([]);
    expect(await sim.get(old.id)).toBeUndefined();
    expect((await sim.list({ managedBy: 'test', region: 'na-east' })).map((i) => i.id)).toEqual([old.id]);
    expect(await sim.get(old.id, 'na-east')).toMatchObject({ id: old.id, region: 'na-east' });
    expect(await sim.get(old.id, 'ap-northeast')).toBeUndefined();
    expect(await sim.list({ managedBy: 'test', region: 'ap-northeast' })).toEqual([]);
    await sim.delete(old.id, 'ap-northeast');
    expect(await sim.get(old.id, 'na-east')).toMatchObject({ state: 'pending' });
    await sim.delete(old.id, 'na-east');
    expect(await sim.get(old.id, 'na-east')).toMatchObject({ state: 'terminating' });
    await expect(sim.get(old.id, 'mars-1')).rejects.toThrow(/the sim has no region "mars-1"/);
    await expect(sim.list({ managedBy: 'test', region: 'mars-1' })).rejects.toBeInstanceOf(InvalidRequestError);
    await expect(open({ regions: ['mars-1'] }).regions()).rejects.toThrow(/configured for regions the sim does not have: mars-1/);
  });
});
