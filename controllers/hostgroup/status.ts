import { ConditionType, Reason } from '../../api/index.js';
import type { HostGroup, HostGroupGraph, HostGroupStatus } from '../../api/index.js';
import { setCondition } from '../shared/index.js';
import type { NewCondition } from '../shared/index.js';

/** The most host names status.hosts lists (the API's bound); hostCount always counts them all. */
export const STATUS_HOSTS = 1000;

/** The status a HostGroup should have in `graph`; pure, so a reconcile writes it only if it differs. */
export function hostGroupStatus(group: HostGroup, graph: HostGroupGraph, now: Date): HostGroupStatus {
  const name = group.metadata.name;
  const generation = group.metadata.generation ?? 0;
  const hosts = graph.hostsOf(name);
  const cycle = graph.cycles.get(name);
  const missing = graph.missing.get(name) ?? [];
  const invalid: NewCondition =
    cycle === undefined
      ? { type: ConditionType.InvalidSpec, status: 'False', reason: Reason.SpecValid, message: 'children form no cycle' }
      : { type: ConditionType.InvalidSpec, status: 'True', reason: Reason.ChildrenCycle, message: `children form a cycle: ${cycle}; those subgroups are left out` };
  const notFound: NewCondition =
    missing.length === 0
      ? { type: ConditionType.ReferenceNotFound, status: 'False', reason: Reason.ReferencesFound, message: 'every child and host named exists' }
      : { type: ConditionType.ReferenceNotFound, status: 'True', reason: Reason.ReferenceNotFound, message: `not found: ${missing.join(', ')}` };
  const ready: NewCondition =
    cycle === undefined && missing.length === 0
      ? { type: ConditionType.Ready, status: 'True', reason: Reason.HostsMatched, message: `${hosts.length} host${hosts.length === 1 ? '' : 's'}` }
      : { type: ConditionType.Ready, status: 'False', reason: cycle === undefined ? Reason.ReferenceNotFound : Reason.ChildrenCycle, message: cycle === undefined ? notFound.message : invalid.message };
  let conditions = group.status?.conditions;
  for (const c of [ready, invalid, notFound]) conditions = setCondition(conditions, c, generation, now);
  return { observedGeneration: generation, hostCount: hosts.length, hosts: hosts.slice(0, STATUS_HOSTS), conditions: conditions ?? [] };
}
