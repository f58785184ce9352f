import { TAG_MACHINE, type Instance } from '../../providers/index.js';
import type { InstanceListing } from './instance-listing.js';

/**
 * The Machine UIDs whose instances differ between two listings of the same account and region:
 * vanished, appeared, or changed in state, addresses or price. What a Machine would record from a
 * look, so a Machine not named here would find nothing new.
 */
export function changedMachines(previous: InstanceListing, next: InstanceListing): Set<string> {
  const changed = new Set<string>();
  const note = (instance: Instance): void => {
    const uid = instance.tags[TAG_MACHINE];
    if (uid !== undefined && uid !== '') changed.add(uid);
  };
  for (const before of previous.instances) {
    const after = next.byId(before.id);
    if (after === undefined || !sameLook(after, before)) note(before);
    if (after !== undefined && after.tags[TAG_MACHINE] !== before.tags[TAG_MACHINE]) note(after);
  }
  for (const after of next.instances) if (previous.byId(after.id) === undefined) note(after);
  return changed;
}

/**
 * The same state, reason, addresses (in order) and price. Compared field by field: every listing
 * compares each instance with its last look, and building a string of each (as this did) was most
 * of what an idle controller allocated.
 */
function sameLook(a: Instance, b: Instance): boolean {
  if (a === b) return true;
  if (a.state !== b.state || (a.stateReason ?? '') !== (b.stateReason ?? '') || a.hourlyPrice !== b.hourlyPrice) return false;
  if (a.addresses.length !== b.addresses.length) return false;
  return a.addresses.every((address, i) => {
    const other = b.addresses[i];
    return other !== undefined && address.type === other.type && address.address === other.address;
  });
}
