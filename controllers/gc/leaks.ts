import { TAG_MACHINE, TAG_MANAGED_BY } from '../../providers/index.js';
import type { Instance } from '../../providers/index.js';

/** When an unclaimed instance was first seen so, in epoch ms. */
export type Sightings = number;

export interface LeakCriteria {
  /** Only instances carrying this installation's managed-by tag are ever ours to delete. */
  readonly managedBy: string;
  /** UIDs of every Machine that exists, deleting ones included (they terminate their own instances). */
  readonly machineUids: ReadonlySet<string>;
  readonly now: Date;
  /** Younger instances are left alone, and an unclaimed one must have been seen so this long. */
  readonly graceMs: number;
  /** What the previous successful listing of the same unit found unclaimed, by instance id. */
  readonly seen: ReadonlyMap<string, Sightings>;
}

export interface LeakVerdict {
  /** Unclaimed at least graceMs ago and still: delete. */
  readonly leaks: Instance[];
  /** Every unclaimed candidate of this listing with when it was first seen so: the next `seen`. */
  readonly unclaimed: Map<string, Sightings>;
}

/**
 * The instances that are leaks: this installation's (managed-by tag; the pre-identity default or
 * another installation's never), not on their way out, tagged with a Machine UID that no existing
 * Machine has, older than the grace period, and found unclaimed by an earlier listing at least the
 * grace period ago. Stopped instances count: they still bill. An instance without a Machine tag,
 * or whose creation time cannot be read, is never a leak: when unsure, keep it.
 */
export function findLeaks(instances: readonly Instance[], criteria: LeakCriteria): LeakVerdict {
  const nowMs = criteria.now.getTime();
  const leaks: Instance[] = [];
  const unclaimed = new Map<string, Sightings>();
  for (const instance of instances) {
    if (instance.tags[TAG_MANAGED_BY] !== criteria.managedBy) continue;
    if (instance.state === 'terminated' || instance.state === 'terminating') continue;
    const uid = instance.tags[TAG_MACHINE];
    if (uid === undefined || uid === '' || criteria.machineUids.has(uid)) continue;
    const ageMs = nowMs - Date.parse(instance.createdAt);
    if (!(ageMs >= criteria.graceMs)) continue;
    const firstMs = criteria.seen.get(instance.id) ?? nowMs;
    unclaimed.set(instance.id, firstMs);
    if (nowMs - firstMs >= criteria.graceMs) leaks.push(instance);
  }
  return { leaks, unclaimed };
}
