import { ConditionType, Reason } from '../../api/index.js';
import type { Instance } from '../../providers/index.js';
import { done } from '../../runtime/controller/index.js';
import type { Result } from '../../runtime/controller/index.js';
import type { MachineTarget } from './account.js';
import { machineFailed } from './events.js';
import type { Observation } from './observe-instance.js';
import { observeProvisioning } from './observe-provisioning.js';
import type { MachineScope } from './scope.js';
import { offeringPath } from '../shared/index.js';
import { markFailed, recordInstance, setMachineCondition } from './status.js';

/** How often a Provisioning Machine looks at its instance: the sim and most clouds boot in seconds. */
export const PROVISIONING_POLL_MS = 2_000;
/**
 * How recent a listing a Running Machine accepts, and how often it looks again itself when changes
 * are not pushed to it (no watch tells us an instance died).
 */
export const LIVENESS_PERIOD_MS = 30_000;
/**
 * How often a Running Machine looks again while the fleet observer pushes changes of its instance
 * (controllers/observer ChangeFeed): only a safety net, should a push ever be missed.
 */
export const LIVENESS_RESYNC_MS = 5 * 60_000;
/**
 * An instance that fails, stops or vanishes this soon after its create says more about its offering
 * (a bad image, a broken zone) than about bad luck: the offering is backed off like a capacity error,
 * so replacements go elsewhere instead of dying the same way in a loop.
 */
export const EARLY_DEATH_MS = 10 * 60_000;
const DEFAULT_READY_TIMEOUT_SECONDS = 900;

/** Provisioning: looks at the instance until it runs, fails, or overstays the pool's ready timeout. */
export async function observeUntilRunning(scope: MachineScope, target: MachineTarget, instanceId: string): Promise<Result> {
  return applyObservation(scope, target, await observeProvisioning(scope, target, instanceId, PROVISIONING_POLL_MS));
}

/** Moves a Provisioning Machine on from what the provider shows of its instance. */
export async function applyObservation(scope: MachineScope, target: MachineTarget, observed: Observation): Promise<Result> {
  if (observed.kind === 'wait') return { requeueAfterMs: observed.ms };
  if (failedByInstance(scope, target, observed)) return done;
  if (observed.kind !== 'seen') return done;
  const { instance } = observed;
  recordInstance(scope, instance);
  if (instance.state === 'running') return markRunning(scope, instance);
  const remainingMs = readyDeadlineMs(scope, target) - scope.now.getTime();
  if (remainingMs <= 0) return readyTimeout(scope, target, instance);
  setMachineCondition(scope, { type: ConditionType.Ready, status: 'False', reason: Reason.InstancePending, message: `instance ${instance.id} is ${instance.state}` });
  return { requeueAfterMs: Math.min(observed.nextLookMs, remainingMs) };
}

/**
 * Marks the Machine Failed if its instance is gone, terminating, stopped or failed (true), for
 * Provisioning and Running alike: the pool replaces a Failed Machine with a new one, and deleting
 * this one terminates what is left of its instance (a stopped instance still bills).
 */
export function failedByInstance(scope: MachineScope, target: MachineTarget, observed: Exclude<Observation, { kind: 'wait' }>): boolean {
  const id = scope.status.instanceId ?? 'of this Machine';
  const reclaim = reclaimOf(observed);
  if (reclaim !== undefined) {
    scope.status.reclaimed = true;
    return failMachine(scope, target, Reason.SpotReclaimed, `spot instance ${id} was reclaimed by its cloud: ${reclaim}; the Machine is replaced`);
  }
  if (observed.kind === 'gone') return failMachine(scope, target, Reason.InstanceGone, `instance ${id} is gone: ${observed.why}`);
  const { instance } = observed;
  switch (instance.state) {
    case 'terminating':
    case 'terminated':
      return failMachine(scope, target, Reason.InstanceGone, `instance ${instance.id} is gone: it is ${instance.state}${suffix(instance.stateReason)}`);
    case 'stopping':
    case 'stopped':
      return failMachine(
        scope,
        target,
        Reason.InstanceStopped,
        `instance ${instance.id} is ${instance.state}${suffix(instance.stateReason)}: it serves nothing but still exists and bills; it is deleted when the pool replaces this Machine`,
      );
    case 'failed':
      return failMachine(scope, target, Reason.InstanceFailed, `instance ${instance.id} failed${suffix(instance.stateReason)}`);
    case 'pending':
    case 'running':
      return false;
    default:
      return assertNever(instance.state);
  }
}

/**
 * Why the Machine's spot instance was reclaimed, or undefined if it was not: only the cloud's own
 * word counts (EC2's state reason Server.SpotInstanceTermination, Compute Engine's
 * compute.instances.preempted operation, the sim's reclaim), never a guess from the state — a spot
 * instance someone stopped or deleted is replaced as any other, but it is no interruption.
 */
function reclaimOf(observed: Exclude<Observation, { kind: 'wait' }>): string | undefined {
  return observed.kind === 'seen' && observed.instance.reclaimed === true ? (observed.instance.stateReason ?? 'the cloud says so') : undefined;
}

function markRunning(scope: MachineScope, instance: Instance): Result {
  if (scope.status.phase !== 'Running') scope.log.info({ instanceId: instance.id }, 'instance running');
  scope.status.phase = 'Running';
  setMachineCondition(scope, { type: ConditionType.Ready, status: 'True', reason: Reason.InstanceRunning, message: `instance ${instance.id} is running` });
  return { requeueAfterMs: LIVENESS_PERIOD_MS };
}

/** The instance will never be used: it goes now rather than when the Machine is deleted. */
async function readyTimeout(scope: MachineScope, target: MachineTarget, instance: Instance): Promise<Result> {
  await target.provider.delete(instance.id, scope.machine.spec.region);
  const seconds = target.pool?.spec.readyTimeoutSeconds ?? DEFAULT_READY_TIMEOUT_SECONDS;
  failMachine(scope, target, Reason.ReadyTimeout, `instance ${instance.id} was not running ${seconds} s after its create (still ${instance.state}); it was deleted`);
  return done;
}

function readyDeadlineMs(scope: MachineScope, target: MachineTarget): number {
  const seconds = target.pool?.spec.readyTimeoutSeconds ?? DEFAULT_READY_TIMEOUT_SECONDS;
  const createdAt = Date.parse(scope.status.createdAt ?? scope.now.toISOString());
  return createdAt + seconds * 1000;
}

function failMachine(scope: MachineScope, target: MachineTarget, reason: string, message: string): true {
  markFailed(scope, reason, message);
  scope.log.warn({ reason, instanceId: scope.status.instanceId }, 'machine failed');
  machineFailed(scope, reason, 'Observe', message);
  backOffIfEarly(scope, target, reason);
  return true;
}

/** See EARLY_DEATH_MS. A ready timeout counts too: an offering whose instances never boot is as broken. */
function backOffIfEarly(scope: MachineScope, target: MachineTarget, reason: string): void {
  const createdAt = scope.status.createdAt === undefined ? Number.NaN : Date.parse(scope.status.createdAt);
  if (reason !== Reason.ReadyTimeout && !(scope.now.getTime() - createdAt < EARLY_DEATH_MS)) return;
  const { region, zone, instanceType, capacityType } = scope.machine.spec;
  const offering = offeringPath({ account: target.account.name, region, zone, instanceType, capacityType });
  const periodMs = scope.deps.backoff.markOut(offering, `instances die soon after boot (${reason})`);
  scope.log.warn({ offering, periodMs, reason }, 'backed off an offering whose instance died early');
}

function suffix(reason: string | undefined): string {
  return reason === undefined ? '' : ` (${reason})`;
}

function assertNever(value: never): never {
  throw new Error(`unexpected instance state: ${String(value)}`);
}
