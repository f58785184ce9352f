// A Compute Engine Spot VM's preemption as the cloud records it: the fake Compute Engine deletes a
// preempted Spot VM (instanceTerminationAction DELETE) and records a compute.instances.preempted
// operation; the gcp adapter reads that operation (zoneOperations.list) to say the instance was
// reclaimed — while it powers off, and once it is gone — and never guesses it from the state alone.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { GcpProvider } from '../../providers/gcp/index.js';
import type { CreateRequest, Instance } from '../../providers/index.js';
import { startFakeGce } from '../fakes/gce/index.js';
import type { FakeGce } from '../fakes/gce/index.js';
import { stopInstance } from '../fakes/gce/harness.js';

process.env.GCE_METADATA_HOST = '127.0.0.1:9';

let gce: FakeGce;
let p: GcpProvider;
let image = '';
beforeAll(async () => {
  gce = await startFakeGce();
  p = new GcpProvider({ account: 'gcp-spot', endpoint: gce.endpoint, project: gce.project, credentials: { accessToken: gce.accessToken } });
  image = (await p.image('us-central1', 'ubuntu-24.04')) ?? '';
}, 60_000);
afterAll(async () => {
  await gce.stop();
});

const request = (machineUid: string, capacity: 'spot' | 'on-demand'): CreateRequest => ({
  machineUid,
  attempt: 1,
  managedBy: 'gcp-spot',
  pool: 'workers',
  namespace: 'default',
  region: 'us-central1',
  zone: 'us-central1-b',
  instanceType: 'e2-standard-2',
  image,
  ...(capacity === 'spot' ? { capacityType: 'spot' as const } : {}),
});

/** Reads `id` until `done` holds (the fake moves an instance on by time, not by calls), at most 10 s. */
async function until(id: string, done: (i: Instance | undefined) => boolean): Promise<Instance | undefined> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const seen = await p.get(id);
    if (done(seen) || Date.now() > deadline) return seen;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

const preempted = expect.stringMatching(/^preempted by Compute Engine at \S+ \(compute\.instances\.preempted\)$/);

describe('a preempted Compute Engine Spot VM', () => {
  it('is reclaimed while it powers off and after it is gone, in get, list and describe, from the zone’s compute.instances.preempted operation', async () => {
    const made = await p.create(request('preempt-1', 'spot'));
    await until(made.id, (i) => i?.state === 'running');
    const listsBefore = gce.calls.get('zoneOperations.list') ?? 0;
    expect((await p.list({ managedBy: 'gcp-spot' })).find((i) => i.id === made.id)).not.toHaveProperty('reclaimed');
    // A running Spot VM costs no operation lookup.
    expect(gce.calls.get('zoneOperations.list') ?? 0).toBe(listsBefore);

    expect(gce.preempt(made.id)).toBe(true);
    const stopping = await p.get(made.id);
    expect(stopping).toMatchObject({ state: 'stopping', capacityType: 'spot', reclaimed: true, stateReason: preempted });
    expect((await p.list({ managedBy: 'gcp-spot' })).find((i) => i.id === made.id)).toMatchObject({ reclaimed: true });

    // DELETE: Compute Engine deletes it, and only the operation log still knows what happened.
    const gone = await until(made.id, (i) => i?.state === 'terminated');
    expect(gone).toMatchObject({ id: made.id, state: 'terminated', capacityType: 'spot', reclaimed: true, stateReason: preempted });
    expect(await p.describe('us-central1', [made.id])).toEqual([gone]);
    // Listings leave terminated instances out, as for any cloud.
    expect((await p.list({ managedBy: 'gcp-spot' })).map((i) => i.id)).not.toContain(made.id);
  });

  it('is told apart from a Spot VM someone stopped, and from an instance that never existed', async () => {
    const made = await p.create(request('stopped-1', 'spot'));
    await until(made.id, (i) => i?.state === 'running');
    await stopInstance(gce, made.id);
    const stopped = await until(made.id, (i) => i?.state === 'stopped');
    expect(stopped).toMatchObject({ state: 'stopped', capacityType: 'spot' });
    expect(stopped).not.toHaveProperty('reclaimed');
    expect(await p.get('us-central1-b/pf-0000000000000000000000000000000000000000-a1')).toBeUndefined();
    expect(await p.describe('us-central1', ['us-central1-b/pf-0000000000000000000000000000000000000000-a1'])).toEqual([]);
  });

  it('cannot be made of an on-demand instance: Compute Engine preempts only Spot VMs', async () => {
    const made = await p.create(request('standard-1', 'on-demand'));
    expect(gce.preempt(made.id)).toBe(false);
  });
});

describe('Spot capacity running out', () => {
  it('fails a Spot create as a capacity error while on-demand creates still succeed', async () => {
    gce.setSpotCapacity(false);
    try {
      await expect(p.create({ ...request('no-spot-1', 'spot'), zone: 'us-central1-c' })).rejects.toMatchObject({ kind: 'capacity' });
      await expect(p.create({ ...request('no-spot-2', 'on-demand'), zone: 'us-central1-c' })).resolves.toMatchObject({ instanceType: 'e2-standard-2' });
    } finally {
      gce.setSpotCapacity(true);
    }
  });
});
