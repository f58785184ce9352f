import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SimProvider } from '../../providers/sim/index.js';
import { simCreateRequest } from '../../providers/sim/testing/sim-request.js';
import { takeSimCensus } from './sim-census.js';

describe('takeSimCensus', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'polyfleet-census-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('counts stopped instances as alive and apart, and stopping or terminating ones as settling', async () => {
    const sim = new SimProvider({ account: 'sim-a', dir, createLatencyMs: 0, deleteLatencyMs: 60_000, stopLatencyMs: 0 });
    const stopped = await sim.create(simCreateRequest('stopped'));
    const leaving = await sim.create(simCreateRequest('leaving'));
    await sim.create(simCreateRequest('running'));
    await sim.stop(stopped.id);
    await sim.delete(leaving.id);
    expect(await takeSimCensus(dir, new Set(['stopped', 'running']))).toMatchObject({
      created: 3,
      alive: 3,
      stopped: 1,
      settling: 1,
      machinesWithoutOneInstance: [],
      leaked: [leaving.id],
    });
    await new SimProvider({ account: 'sim-a', dir, stopLatencyMs: 60_000 }).stop((await sim.list({ managedBy: 'test', machineUid: 'running' }))[0]?.id ?? '');
    expect(await takeSimCensus(dir, new Set())).toMatchObject({ stopped: 1, settling: 2 });
  });

  it('counts instances deleted or stopped by another installation than the managed-by tag names, and alive ones per tag', async () => {
    const as = (actor: string): SimProvider => new SimProvider({ account: 'sim-a', dir, createLatencyMs: 0, deleteLatencyMs: 0, stopLatencyMs: 0, actor });
    const own = await as('a').create(simCreateRequest('own', { managedBy: 'a' }));
    const foreign = await as('a').create(simCreateRequest('foreign', { managedBy: 'a' }));
    const stoppedByB = await as('a').create(simCreateRequest('stopped', { managedBy: 'a' }));
    const anonymous = await as('a').create(simCreateRequest('anonymous', { managedBy: 'b' }));
    await as('b').create(simCreateRequest('alive', { managedBy: 'b' }));
    await as('a').delete(own.id);
    await as('b').delete(foreign.id);
    await as('b').stop(stoppedByB.id);
    await new SimProvider({ account: 'sim-a', dir, deleteLatencyMs: 0 }).delete(anonymous.id);
    const census = await takeSimCensus(dir, new Set());
    expect([...census.foreignTouched].sort()).toEqual([foreign.id, stoppedByB.id].sort());
    expect(census.aliveByManagedBy).toEqual(new Map([['a', 1], ['b', 1]]));
    expect(census.unattributedDeletes).toBe(1);
  });
});
