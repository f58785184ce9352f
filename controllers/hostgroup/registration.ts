import { mapKind } from '../../runtime/manager/index.js';
import type { ControllerRegistration } from '../../runtime/manager/index.js';
import { keyOf, listReadOnly } from '../../runtime/store/index.js';
import type { ObjectKey, Store } from '../../runtime/store/index.js';
import type { ControllerDeps } from '../shared/index.js';
import { reconcileHostGroup } from './controller.js';

/**
 * The HostGroup controller. A group's hosts depend on every Machine of its namespace, and its
 * references on every other group there, so a change to either reconciles the namespace's groups.
 */
export function hostGroupController(deps: ControllerDeps): ControllerRegistration<'HostGroup'> {
  return {
    name: 'hostgroup',
    kind: 'HostGroup',
    reconcile: (ctx, key) => reconcileHostGroup(deps, ctx, key),
    watches: [
      mapKind('Machine', (machine) => groupsOf(deps.store, keyOf(machine).namespace)),
      mapKind('HostGroup', (group) => groupsOf(deps.store, keyOf(group).namespace)),
    ],
  };
}

async function groupsOf(store: Store, namespace: string): Promise<ObjectKey[]> {
  const groups = await listReadOnly(store, 'HostGroup', { namespace });
  return groups.map((g) => ({ namespace, name: g.metadata.name }));
}
