import { describe, expect, it } from '@jest/globals';
import { TAG_MACHINE, TAG_MANAGED_BY } from '../../providers/index.js';
import type { Instance, InstanceState } from '../../providers/index.js';
import { findLeaks } from './leaks.js';

const now = new Date('2026-01-01T01:00:00Z');
const criteria = { managedBy: 'us', machineUids: new Set(['alive']), now, graceMs: 10 * 60_000 };

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
    { name: 'an instance already stopping', i: instance({ machine: 'gone', state: 'stopping' }), leak: false },
    { name: 'a failed instance of a Machine that is gone', i: instance({ machine: 'gone', state: 'failed' }), leak: true },
  ])('$name: leak $leak', ({ i, leak }) => {
    expect(findLeaks([i], criteria)).toEqual(leak ? [i] : []);
  });
});
