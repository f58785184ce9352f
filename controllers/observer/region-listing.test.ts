import { describe, expect, it } from '@jest/globals';
import { ThrottledError, TransientError, type Instance, type InstanceFilter, type Provider } from '../../providers/index.js';
import { FakeClock } from '../../runtime/testing/fake-clock.js';
import { EMPTY_FALLBACK_RELIST_EVERY, RegionListing, THROTTLE_BASE_WAIT_MS } from './region-listing.js';

/** A provider whose `list` answers (or fails) when the test says, and counts its calls. */
function cloud() {
  const calls: InstanceFilter[] = [];
  const pending: { resolve: (i: Instance[]) => void; reject: (e: unknown) => void }[] = [];
  const provider = {
    list: (filter: InstanceFilter) => {
      calls.push(filter);
      return new Promise<Instance[]>((resolve, reject) => pending.push({ resolve, reject }));
    },
  } as unknown as Provider;
  const settle = async (outcome: Instance[] | Error): Promise<void> => {
    for (let n = 0; n < 10 && pending.length === 0; n++) await Promise.resolve();
    const next = pending.shift();
    if (next === undefined) throw new Error('no listing is under way');
    if (outcome instanceof Error) next.reject(outcome);
    else next.resolve(outcome);
  };
  return { provider, calls, settle };
}

describe('RegionListing', () => {
  it('readers arriving while a listing is under way share it: one call per managed-by tag', async () => {
    const clock = new FakeClock();
    const { provider, calls, settle } = cloud();
    const listing = new RegionListing(clock, ['pf-a', 'polyfleet'], 'r1');
    const readers = Array.from({ length: 50 }, () => listing.read(provider, clock.now().getTime()));
    await settle([]);
    await settle([]);
    const reads = await Promise.all(readers);
    expect(calls).toEqual([{ managedBy: 'pf-a', region: 'r1' }, { managedBy: 'polyfleet', region: 'r1' }]);
    expect(new Set(reads.map((r) => (r.kind === 'listed' ? r.listing : r)))).toHaveProperty('size', 1);
  });

  it('hands out the last listing while it is recent enough for the reader, and lists again when it is not', async () => {
    const clock = new FakeClock();
    const { provider, calls, settle } = cloud();
    const listing = new RegionListing(clock, ['pf-a'], 'r1');
    const first = listing.read(provider, clock.now().getTime());
    await settle([]);
    await first;
    clock.advance(10_000);
    expect(await listing.read(provider, clock.now().getTime() - 30_000)).toMatchObject({ kind: 'listed' });
    expect(calls).toHaveLength(1);
    const second = listing.read(provider, clock.now().getTime() - 5_000);
    await settle([]);
    expect(await second).toMatchObject({ kind: 'listed', listing: { startedAt: clock.now() } });
    expect(calls).toHaveLength(2);
  });

  it('a failed listing rejects every reader sharing it and is not remembered: it proves nothing', async () => {
    const clock = new FakeClock();
    const { provider, calls, settle } = cloud();
    const listing = new RegionListing(clock, ['pf-a', 'polyfleet'], 'r1');
    const readers = [listing.read(provider, 0), listing.read(provider, 0)];
    await settle([]);
    await settle(new TransientError('503', 'sim-a'));
    for (const reader of readers) await expect(reader).rejects.toThrow(TransientError);
    expect(listing.latest()).toBeUndefined();
    const again = listing.read(provider, 0);
    await settle([]);
    await settle([]);
    expect(await again).toMatchObject({ kind: 'listed' });
    expect(calls).toHaveLength(4);
  });

  it('throttling stops every reader until the cloud said, and backs off further while it lasts', async () => {
    const clock = new FakeClock();
    const { provider, calls, settle } = cloud();
    const listing = new RegionListing(clock, ['pf-a'], 'r1');
    let read = listing.read(provider, 0);
    await settle(new ThrottledError('slow down', 'sim-a', 9_000));
    expect(await read).toEqual({ kind: 'wait', ms: 9_000 });
    clock.advance(4_000);
    expect(await listing.read(provider, 0)).toEqual({ kind: 'wait', ms: 5_000 });
    expect(calls).toHaveLength(1);
    clock.advance(5_000);
    read = listing.read(provider, 0);
    await settle(new ThrottledError('slow down', 'sim-a'));
    expect(await read).toEqual({ kind: 'wait', ms: 2 * THROTTLE_BASE_WAIT_MS });
    clock.advance(2 * THROTTLE_BASE_WAIT_MS);
    read = listing.read(provider, 0);
    await settle([]);
    expect(await read).toMatchObject({ kind: 'listed' });
  });
  it('lists the pre-identity tag every time while it has instances, and only every tenth listing once it had none', async () => {
    const clock = new FakeClock();
    const { provider, calls, settle } = cloud();
    const listing = new RegionListing(clock, ['pf-a', 'polyfleet'], 'r1');
    const legacy: Instance = { id: 'i-old', account: 'a', region: 'r1', zone: 'r1a', instanceType: 't', state: 'running', addresses: [], tags: {}, createdAt: '2026-01-01T00:00:00Z', hourlyPrice: '0.01' };
    const listOnce = async (answers: Instance[][]): Promise<InstanceFilter[]> => {
      const before = calls.length;
      clock.advance(30_000);
      const read = listing.read(provider, clock.now().getTime());
      for (const answer of answers) await settle(answer);
      const got = await read;
      if (got.kind !== 'listed') throw new Error('not listed');
      return calls.slice(before);
    };
    // With an instance under it, the old tag is asked every time: its instance never seems to vanish.
    for (let n = 0; n < 3; n++) expect((await listOnce([[], [legacy]])).map((c) => c.managedBy)).toEqual(['pf-a', 'polyfleet']);
    expect(listing.latest()?.byId('i-old')).toBeDefined();
    // Empty once: then skipped until every tenth listing, which asks again.
    expect(await listOnce([[], []])).toHaveLength(2);
    for (let n = 1; n < EMPTY_FALLBACK_RELIST_EVERY; n++) expect((await listOnce([[]])).map((c) => c.managedBy)).toEqual(['pf-a']);
    expect((await listOnce([[], [legacy]])).map((c) => c.managedBy)).toEqual(['pf-a', 'polyfleet']);
    // It had one again: back to every time.
    expect(await listOnce([[], [legacy]])).toHaveLength(2);
  });
});
