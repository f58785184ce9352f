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
    if (after === undefined || fingerprint(after) !== fingerprint(before)) note(before);
    if (after !== undefined && after.tags[TAG_MACHINE] !== before.tags[TAG_MACHINE]) note(after);
  }
  for (const after of next.instances) if (previous.byId(after.id) === undefined) note(after);
  return changed;
}

function fingerprint(instance: Instance): string {
  return JSON.stringify([instance.state, instance.stateReason ?? '', instance.addresses, instance.hourlyPrice]);
}
