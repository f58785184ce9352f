import { TAG_MACHINE, TAG_MANAGED_BY } from '../../providers/index.js';
import type { Instance } from '../../providers/index.js';

export interface LeakCriteria {
  /** Only instances carrying this managed-by tag are ever ours to delete. */
  readonly managedBy: string;
  /** UIDs of every Machine that exists, deleting ones included (they terminate their own instances). */
  readonly machineUids: ReadonlySet<string>;
  readonly now: Date;
  /** Younger instances are left alone: their Machine's status may not record them yet. */
  readonly graceMs: number;
}

/**
 * The instances that are leaks: ours (managed-by tag), still alive, tagged with a Machine UID that
 * no existing Machine has, and older than the grace period. An instance without a Machine tag, or
 * whose creation time cannot be read, is never a leak: when unsure, keep it.
 */
export function findLeaks(instances: readonly Instance[], criteria: LeakCriteria): Instance[] {
  return instances.filter((instance) => {
    if (instance.tags[TAG_MANAGED_BY] !== criteria.managedBy) return false;
    if (instance.state === 'terminated' || instance.state === 'stopping') return false;
    const uid = instance.tags[TAG_MACHINE];
    if (uid === undefined || uid === '' || criteria.machineUids.has(uid)) return false;
    const ageMs = criteria.now.getTime() - Date.parse(instance.createdAt);
    return ageMs >= criteria.graceMs;
  });
}
