import { TAG_MACHINE, type Instance } from '../../providers/index.js';

/**
 * One successful listing of an installation's instances in one account and region: every instance
 * under each of the installation's managed-by tags, all pages, every state but terminated. Never a
 * part: a listing that failed anywhere is no listing at all, so absence from one is evidence.
 */
export interface InstanceListing {
  /** When the listing was asked for: an instance created after this may be missing from it. */
  readonly startedAt: Date;
  readonly instances: readonly Instance[];
  byId(id: string): Instance | undefined;
  /** Every instance tagged with this Machine UID (of any attempt), oldest first. */
  ofMachine(machineUid: string): readonly Instance[];
}

export function instanceListing(startedAt: Date, instances: readonly Instance[]): InstanceListing {
  const byId = new Map<string, Instance>();
  const byMachine = new Map<string, Instance[]>();
  for (const instance of instances) {
    if (instance.state === 'terminated') continue;
    byId.set(instance.id, instance);
    const uid = instance.tags[TAG_MACHINE];
    if (uid === undefined || uid === '') continue;
    byMachine.set(uid, [...(byMachine.get(uid) ?? []), instance]);
  }
  for (const list of byMachine.values()) list.sort((a, b) => (a.createdAt < b.createdAt ? -1 : a.createdAt > b.createdAt ? 1 : 0));
  return {
    startedAt,
    instances: [...byId.values()],
    byId: (id) => byId.get(id),
    ofMachine: (uid) => byMachine.get(uid) ?? [],
  };
}
