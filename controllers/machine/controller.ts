import { Reason } from '../../api/index.js';
import { done } from '../../runtime/controller/index.js';
import type { ReconcileContext, Result } from '../../runtime/controller/index.js';
import type { ObjectKey } from '../../runtime/store/index.js';
import type { ControllerDeps } from '../shared/index.js';
import { findTarget } from './account.js';
import { machineFailed } from './events.js';
import { ensureFinalizer, hasFinalizer, removeFinalizer } from './finalizer.js';
import { launch } from './launch.js';
import { checkLiveness } from './liveness.js';
import { observeUntilRunning } from './registration.js';
import type { MachineScope } from './scope.js';
import { newScope } from './scope.js';
import { copyPlacement, initConditions, markFailed, writeStatusIfChanged } from './status.js';
import { terminate } from './termination.js';

/** STYLE.md (a): fetch, finalizer first, phases on an in-memory draft, one status write at the end. */
export async function reconcileMachine(deps: ControllerDeps, ctx: ReconcileContext, key: ObjectKey): Promise<Result> {
  const stored = await deps.store.get('Machine', key);
  if (stored === undefined) return done;
  if (stored.metadata.deletionTimestamp !== undefined) {
    if (!hasFinalizer(stored)) return done;
    const scope = newScope(deps, ctx.log, stored);
    const termination = await terminate(scope, await findTarget(deps, stored, true));
    if (termination.kind === 'released') {
      await removeFinalizer(deps.store, stored);
      return done;
    }
    await writeStatusIfChanged(scope);
    return termination.result;
  }
  const scope = newScope(deps, ctx.log, await ensureFinalizer(deps.store, stored));
  const result = await reconcileNormal(scope);
  await writeStatusIfChanged(scope);
  return result;
}

async function reconcileNormal(scope: MachineScope): Promise<Result> {
  initConditions(scope);
  copyPlacement(scope);
  // Failed is final: the NodePool controller deletes the Machine and creates a new one.
  if (scope.status.phase === 'Failed') return done;
  const lookup = await findTarget(scope.deps, scope.machine, false);
  if (!lookup.found) {
    markFailed(scope, Reason.ProviderAccountNotFound, lookup.problem);
    machineFailed(scope, Reason.ProviderAccountNotFound, 'Create', lookup.problem);
    return done;
  }
  const { instanceId, phase } = scope.status;
  if (instanceId === undefined) return launch(scope, lookup.target);
  if (phase === 'Running') return checkLiveness(scope, lookup.target, instanceId);
  return observeUntilRunning(scope, lookup.target, instanceId);
}
