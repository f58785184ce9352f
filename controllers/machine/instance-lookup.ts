import { TAG_MACHINE, type Instance } from '../../providers/index.js';
import { ownManagedByTags } from '../shared/index.js';
import type { MachineTarget } from './account.js';
import type { MachineScope } from './scope.js';
import { namespaceOf, uidOf } from './scope.js';

/**
 * Every instance of the account tagged with this Machine's UID, not yet terminated, in the region
 * the Machine was placed in (the one region its instance can be in, listed even if the Strategy no
 * longer names it). Under this installation's identity and the pre-identity default alike, so an
 * upgrade never loses sight of an instance. Rejects when the region cannot be listed: a failed
 * listing proves nothing.
 */
export async function taggedInstances(scope: MachineScope, target: MachineTarget): Promise<Instance[]> {
  const uid = uidOf(scope.machine);
  const { pool, region } = scope.machine.spec;
  const found = new Map<string, Instance>();
  for (const managedBy of ownManagedByTags(scope.deps.managedBy)) {
    const listed = await target.provider.list({ managedBy, namespace: namespaceOf(scope.machine), pool, machineUid: uid, region });
    for (const instance of listed) {
      if (instance.tags[TAG_MACHINE] === uid && instance.state !== 'terminated') found.set(instance.id, instance);
    }
  }
  return [...found.values()];
}
