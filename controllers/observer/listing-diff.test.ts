import { describe, expect, it } from '@jest/globals';
import { TAG_MACHINE, type Instance } from '../../providers/index.js';
import { instanceListing } from './instance-listing.js';
import { changedMachines } from './listing-diff.js';

const at = new Date(Date.UTC(2026, 0, 1));

function instance(id: string, uid: string, over: Partial<Instance> = {}): Instance {
  return { id, account: 'a', region: 'r1', zone: 'r1a', instanceType: 't', state: 'running', addresses: [], tags: { [TAG_MACHINE]: uid }, createdAt: at.toISOString(), hourlyPrice: '0.01', ...over };
}

describe('changedMachines', () => {
  it('names the Machines whose instances vanished, appeared, or changed state or addresses, and no other', () => {
    const before = instanceListing(at, [instance('i-1', 'm1'), instance('i-2', 'm2'), instance('i-3', 'm3'), instance('i-4', 'm4')]);
    const after = instanceListing(at, [
      instance('i-1', 'm1'),
      instance('i-2', 'm2', { state: 'stopped' }),
      instance('i-4', 'm4', { addresses: [{ type: 'ExternalIP', address: '203.0.113.9' }] }),
      instance('i-5', 'm5', { state: 'pending' }),
    ]);
    expect([...changedMachines(before, after)].sort()).toEqual(['m2', 'm3', 'm4', 'm5']);
  });

  it('an instance that became terminated is left out of the listing, so it counts as vanished', () => {
    const before = instanceListing(at, [instance('i-1', 'm1')]);
    const after = instanceListing(at, [instance('i-1', 'm1', { state: 'terminated' })]);
    expect([...changedMachines(before, after)]).toEqual(['m1']);
  });
});
