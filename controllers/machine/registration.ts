import { ConditionType, Reason } from '../../api/index.js';
import type { Instance } from '../../providers/index.js';
import { done } from '../../runtime/controller/index.js';
import type { Result } from '../../runtime/controller/index.js';
import type { MachineTarget } from './account.js';
import { machineFailed } from './events.js';
import { getInstance } from './provider-calls.js';
import type { MachineScope } from './scope.js';
import { markFailed, recordInstance, setMachineCondition } from './status.js';

/** How often a Provisioning Machine looks at its instance: the sim and most clouds boot in seconds. */
export const PROVISIONING_POLL_MS = 2_000;
/** How often a Running Machine checks that its instance still runs (no watch tells us it died). */
export const LIVENESS_PERIOD_MS = 30_000;
const DEFAULT_READY_TIMEOUT_SECONDS = 900;

/** Provisioning: looks at the instance until it runs, fails, or overstays the pool's ready timeout. */
export async function observeUntilRunning(scope: MachineScope, target: MachineTarget, instanceId: string): Promise<Result> {
  const observed = await getInstance(scope, target, instanceId);
  if (observed.kind === 'wait') return { requeueAfterMs: observed.ms };
  return applyObserved(scope, target, observed.instance);
}

/** Moves a Provisioning Machine on from what the provider shows of its instance. */
export async function applyObserved(scope: MachineScope, target: MachineTarget, instance: Instance | undefined): Promise<Result> {
  if (failedByInstance(scope, instance) || instance === undefined) return done;
  recordInstance(scope, instance);
  if (instance.state === 'running') return markRunning(scope, instance);
  const remainingMs = readyDeadlineMs(scope, target) - scope.now.getTime();
  if (remainingMs <= 0) return readyTimeout(scope, target, instance);
  setMachineCondition(scope, { type: ConditionType.Ready, status: 'False', reason: Reason.InstancePending, message: `instance ${instance.id} is ${instance.state}` });
  return { requeueAfterMs: Math.min(PROVISIONING_POLL_MS, remainingMs) };
}

/**
 * Marks the Machine Failed if the instance is gone or failed (true), for Provisioning and Running
 * alike: the pool replaces a Failed Machine with a new one.
 */
export function failedByInstance(scope: MachineScope, instance: Instance | undefined): boolean {
  const id = instance?.id ?? scope.status.instanceId ?? 'of this Machine';
  if (instance === undefined || instance.state === 'terminated' || instance.state === 'stopping') {
    const why = instance === undefined ? 'the provider no longer knows it' : `it is ${instance.state}${suffix(instance.stateReason)}`;
    failMachine(scope, Reason.InstanceGone, `instance ${id} is gone: ${why}`);
    return true;
  }
  if (instance.state === 'failed') {
    failMachine(scope, Reason.InstanceFailed, `instance ${id} failed${suffix(instance.stateReason)}`);
    return true;
  }
  return false;
}

function markRunning(scope: MachineScope, instance: Instance): Result {
  if (scope.status.phase !== 'Running') scope.log.info({ instanceId: instance.id }, 'instance running');
  scope.status.phase = 'Running';
  setMachineCondition(scope, { type: ConditionType.Ready, status: 'True', reason: Reason.InstanceRunning, message: `instance ${instance.id} is running` });
  return { requeueAfterMs: LIVENESS_PERIOD_MS };
}

/** The instance will never be used: it goes now rather than when the Machine is deleted. */
async function readyTimeout(scope: MachineScope, target: MachineTarget, instance: Instance): Promise<Result> {
  await target.provider.delete(instance.id);
  const seconds = target.pool?.spec.readyTimeoutSeconds ?? DEFAULT_READY_TIMEOUT_SECONDS;
  failMachine(scope, Reason.ReadyTimeout, `instance ${instance.id} was not running ${seconds} s after its create (still ${instance.state}); it was deleted`);
  return done;
}

function readyDeadlineMs(scope: MachineScope, target: MachineTarget): number {
  const seconds = target.pool?.spec.readyTimeoutSeconds ?? DEFAULT_READY_TIMEOUT_SECONDS;
  const createdAt = Date.parse(scope.status.createdAt ?? scope.now.toISOString());
  return createdAt + seconds * 1000;
}

function failMachine(scope: MachineScope, reason: string, message: string): void {
  markFailed(scope, reason, message);
  scope.log.warn({ reason, instanceId: scope.status.instanceId }, 'machine failed');
  machineFailed(scope, reason, 'Observe', message);
}

function suffix(reason: string | undefined): string {
  return reason === undefined ? '' : ` (${reason})`;
}
