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
});
