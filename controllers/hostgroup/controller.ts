import { isDeepStrictEqual } from 'node:util';
import { resolveHostGroups } from '../../api/index.js';
import { done } from '../../runtime/controller/index.js';
import type { ReconcileContext, Result } from '../../runtime/controller/index.js';
import { listReadOnly } from '../../runtime/store/index.js';
import type { ObjectKey } from '../../runtime/store/index.js';
import type { ControllerDeps } from '../shared/index.js';
import { hostGroupStatus } from './status.js';

/** Matches the group's hosts and checks its references; writes status once, only if it changed. */
export async function reconcileHostGroup(deps: ControllerDeps, ctx: ReconcileContext, key: ObjectKey): Promise<Result> {
  const group = await deps.store.get('HostGroup', key);
  if (group === undefined || group.metadata.deletionTimestamp !== undefined) return done;
  const [groups, machines] = await Promise.all([
    listReadOnly(deps.store, 'HostGroup', { namespace: key.namespace }),
    listReadOnly(deps.store, 'Machine', { namespace: key.namespace }),
  ]);
  const graph = resolveHostGroups(groups, machines);
  const status = hostGroupStatus(group, graph, deps.clock.now());
  if (!isDeepStrictEqual(group.status, status)) {
    await deps.store.updateStatus({ ...structuredClone(group), status });
    ctx.log.info({ hostCount: status.hostCount }, 'resolved host group');
  }
  return done;
}
