import { ConditionType, Reason, type Machine } from '../../api/index.js';
import { done } from '../../runtime/controller/index.js';
import type { ReconcileContext, Result } from '../../runtime/controller/index.js';
import type { ObjectKey } from '../../runtime/store/index.js';
import { observerOf } from '../observer/index.js';
import type { ControllerDeps } from '../shared/index.js';
import { findCurrentTarget, findTargetForDeletion, type MissingAccount } from './account.js';
import { ensureFinalizer, hasFinalizer, removeFinalizer } from './finalizer.js';
import { launch } from './launch.js';
import { noMachineMetrics } from './metrics.js';
import type { MachineMetrics, SpotInterruption } from './metrics.js';
import { checkLiveness } from './liveness.js';
import { observeUntilRunning } from './registration.js';
import type { MachineScope } from './scope.js';
import { newScope } from './scope.js';
import { copyPlacement, initConditions, setMachineCondition, writeStatusIfChanged } from './status.js';
import { terminate } from './termination.js';

/** How often a Machine whose Strategy or account is missing looks again. */
export const ACCOUNT_RETRY_MS = 30_000;

/** Fetch, finalizer first, phases on an in-memory draft, one status write at the end. */
export async function reconcileMachine(deps: ControllerDeps, ctx: ReconcileContext, key: ObjectKey, metrics: MachineMetrics = noMachineMetrics): Promise<Result> {
  const stored = await deps.store.get('Machine', key);
  if (stored === undefined) return done;
  if (stored.metadata.deletionTimestamp !== undefined) {
    forgetInstance(deps, stored);
    if (!hasFinalizer(stored)) return done;
    const scope = newScope(deps, ctx.log, stored);
    const termination = await terminate(scope, await findTargetForDeletion(deps, stored));
    if (termination.kind === 'released') {
      await removeFinalizer(deps.store, stored);
      return done;
    }
    await writeStatusIfChanged(scope);
    return termination.result;
  }
  const scope = newScope(deps, ctx.log, await ensureFinalizer(deps.store, stored));
  const result = await reconcileNormal(scope);
  if (scope.status.phase === 'Failed') forgetInstance(deps, stored);
  await writeStatusIfChanged(scope);
  // Counted once the status saying so is written: a reconcile that fails to write counts on its retry.
  if (scope.status.reclaimed === true && stored.status?.reclaimed !== true) metrics.spotInterrupted(interruptionOf(scope));
  return result;
}

function interruptionOf(scope: MachineScope): SpotInterruption {
  const { spec } = scope.machine;
  return { provider: spec.providerType, account: spec.provider, region: spec.region, instanceType: spec.instanceType };
}

/** A failed or deleting Machine needs no more news of its instance from the fleet observer. */
function forgetInstance(deps: ControllerDeps, machine: Machine): void {
  if (machine.metadata.uid !== undefined) observerOf(deps).forget(machine.metadata.uid);
}

async function reconcileNormal(scope: MachineScope): Promise<Result> {
  initConditions(scope);
  copyPlacement(scope);
  // Failed is final: the NodePool controller deletes the Machine and creates a new one.
  if (scope.status.phase === 'Failed') return done;
  const lookup = await findCurrentTarget(scope.deps, scope.machine);
  if (!lookup.found) return accountMissing(scope, lookup);
  setMachineCondition(scope, { type: ConditionType.ProviderAccountFound, status: 'True', reason: Reason.AccountFound, message: `account ${lookup.target.account.name} of the Strategy` });
  const { instanceId, phase } = scope.status;
  if (instanceId === undefined) return launch(scope, lookup.target);
  if (phase === 'Running') return checkLiveness(scope, lookup.target, instanceId);
  return observeUntilRunning(scope, lookup.target, instanceId);
}

/**
 * The Strategy, or this Machine's account in it, is missing. A Strategy deleted and re-created by
 * GitOps (Argo CD's prune, kubectl replace --force) is absent for seconds, and failing the Machine
 * then would replace the whole fleet: so the Machine keeps its phase and its instance, says what is
 * missing, and creates nothing until the account is back. An account removed on purpose is drained
 * by the NodePool (paced by maxUnavailable), which deletes this Machine; its instance is then
 * terminated through the account record the Machine carries.
 */
function accountMissing(scope: MachineScope, missing: MissingAccount): Result {
  const { instanceId } = scope.status;
  const keeping = instanceId === undefined ? 'no instance is created until it is back' : `instance ${instanceId} is kept as it is`;
  setMachineCondition(scope, { type: ConditionType.ProviderAccountFound, status: 'False', reason: missing.reason, message: `${missing.problem}; ${keeping}` });
  scope.log.debug({ reason: missing.reason, problem: missing.problem }, 'provider account missing, machine waits');
  return { requeueAfterMs: ACCOUNT_RETRY_MS };
}
