import { describe, expect, it } from '@jest/globals';
import { TAG_MACHINE, TAG_MANAGED_BY } from '../../providers/index.js';
import type { Instance, InstanceState } from '../../providers/index.js';
import { findLeaks } from './leaks.js';

const now = new Date('2026-01-01T01:00:00Z');
const grace = 10 * 60_000;
/** As if an earlier listing, a grace period ago, found every candidate unclaimed. */
const criteria = { managedBy: 'us', machineUids: new Set(['alive']), now, graceMs: grace, seen: new Map([['i-1', now.getTime() - grace]]) };

function instance(o: { machine?: string; managedBy?: string; createdAt?: string; state?: InstanceState }): Instance {
  const tags: Record<string, string> = { [TAG_MANAGED_BY]: o.managedBy ?? 'us' };
  if (o.machine !== undefined) tags[TAG_MACHINE] = o.machine;
  return {
    id: 'i-1', account: 'sim-a', region: 'r', zone: 'z', instanceType: 't', state: o.state ?? 'running',
    addresses: [], tags, createdAt: o.createdAt ?? '2026-01-01T00:00:00Z', hourlyPrice: '0.01',
  };
}

describe('findLeaks', () => {
  it.each([
    { name: 'an old instance of a Machine that is gone', i: instance({ machine: 'gone' }), leak: true },
    { name: 'an instance exactly as old as the grace period', i: instance({ machine: 'gone', createdAt: '2026-01-01T00:50:00Z' }), leak: true },
    { name: 'an instance of an existing Machine', i: instance({ machine: 'alive' }), leak: false },
    { name: 'an instance younger than the grace period (a create in flight)', i: instance({ machine: 'gone', createdAt: '2026-01-01T00:55:00Z' }), leak: false },
    { name: "another installation's instance", i: instance({ machine: 'gone', managedBy: 'them' }), leak: false },
    { name: 'an instance without a Machine tag', i: instance({}), leak: false },
    { name: 'an instance whose creation time cannot be read', i: instance({ machine: 'gone', createdAt: 'yesterday' }), leak: false },
    { name: 'an instance already terminating', i: instance({ machine: 'gone', state: 'terminating' }), leak: false },
    { name: 'a stopped instance of a Machine that is gone (it still bills)', i: instance({ machine: 'gone', state: 'stopped' }), leak: true },
    { name: 'a failed instance of a Machine that is gone', i: instance({ machine: 'gone', state: 'failed' }), leak: true },
    { name: 'an instance under the pre-identity default tag', i: instance({ machine: 'gone', managedBy: 'polyfleet' }), leak: false },
  ])('$name: leak $leak', ({ i, leak }) => {
    expect(findLeaks([i], criteria).leaks).toEqual(leak ? [i] : []);
  });

  it('needs two listings a grace period apart that both find the instance unclaimed', () => {
    const leak = instance({ machine: 'gone' });
    const first = findLeaks([leak], { ...criteria, seen: new Map() });
    expect(first.leaks).toEqual([]);
    expect(first.unclaimed).toEqual(new Map([['i-1', now.getTime()]]));
    const soon = findLeaks([leak], { ...criteria, now: new Date(now.getTime() + grace - 1), seen: first.unclaimed });
    expect(soon.leaks).toEqual([]);
    expect(findLeaks([leak], { ...criteria, now: new Date(now.getTime() + grace), seen: soon.unclaimed }).leaks).toEqual([leak]);
  });

  it('forgets an instance that a Machine claimed meanwhile', () => {
    const claimed = findLeaks([instance({ machine: 'alive' })], criteria);
    expect(claimed.unclaimed.size).toBe(0);
  });
});
