// A deleted pool: every Machine goes first (their finalizers terminate the instances), then the pool.

import { Reason, type NodePool } from '../../api/index.js';
import { done, type ReconcileContext, type Result } from '../../runtime/controller/index.js';
import { isNotFound, keyOf } from '../../runtime/store/index.js';
import type { ControllerDeps } from '../shared/index.js';
import { recordPoolEvent } from './events.js';
import { isTerminating } from './existing-machines.js';
import { hasFinalizer, listPoolMachines, removeFinalizer } from './pool-machines.js';

/** Each Machine's deletion enqueues the pool again (owns), so this waits on no timer. */
export async function reconcileDelete(deps: ControllerDeps, ctx: ReconcileContext, pool: NodePool): Promise<Result> {
  if (!hasFinalizer(pool)) return done;
  const machines = await listPoolMachines(deps.store, pool);
  if (machines.length === 0) {
    await removeFinalizer(deps.store, pool);
    ctx.log.info({}, 'removed finalizer: no machines remain');
    return done;
  }
  const toDelete = machines.filter((m) => !isTerminating(m)).sort((a, b) => b.spec.slot - a.spec.slot);
  for (const machine of toDelete) {
    ctx.signal.throwIfAborted();
    try {
      await deps.store.delete('Machine', keyOf(machine), machine.metadata.uid === undefined ? {} : { uid: machine.metadata.uid });
    } catch (err) {
      if (!isNotFound(err)) throw err;
    }
  }
  if (toDelete.length > 0) {
    ctx.log.info({ count: toDelete.length }, 'deleted machines of deleted pool');
    recordPoolEvent(deps, pool, 'Normal', Reason.ScalingDown, 'Delete', `pool deleted: deleting its ${toDelete.length} Machines before it goes`);
  }
  return done;
}
