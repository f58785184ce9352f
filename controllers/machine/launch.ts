import { ConditionType, Reason } from '../../api/index.js';
import { isProviderError } from '../../providers/index.js';
import type { CreateRequest, ProviderError } from '../../providers/index.js';
import { done } from '../../runtime/controller/index.js';
import type { Result } from '../../runtime/controller/index.js';
import type { MachineTarget } from './account.js';
import { instanceCreated, machineFailed } from './events.js';
import { DEFAULT_THROTTLE_WAIT_MS } from './provider-calls.js';
import { applyObservation, PROVISIONING_POLL_MS } from './registration.js';
import type { MachineScope } from './scope.js';
import { namespaceOf, uidOf } from './scope.js';
import { offeringPath } from '../shared/index.js';
import { markFailed, recordInstance, setMachineCondition } from './status.js';
import { resolveUserData, USER_DATA_WAIT_MS } from './user-data.js';

/**
 * Creates the Machine's instance. Always attempt 1: the create is idempotent on (uid, attempt), so
 * a crash after the provider made the instance and before the status recorded it only repeats this
 * call, which hands back the same instance. A Machine never gets a second instance; a new one is a
 * new Machine.
 */
export async function launch(scope: MachineScope, target: MachineTarget): Promise<Result> {
  const userData = await resolveUserData(scope.deps, scope.machine);
  if (userData.kind === 'missing') {
    // Not a failure: the Secret may be created (or retyped) a moment later; the message names it, never a value.
    setMachineCondition(scope, { type: ConditionType.Launched, status: 'False', reason: Reason.NotLaunched, message: userData.message });
    return { requeueAfterMs: USER_DATA_WAIT_MS };
  }
  try {
    const image = await imageFor(scope, target);
    if (image === undefined) {
      const message = `provider account "${target.account.name}" has no image for os "${osOf(target)}" in region ${scope.machine.spec.region}`;
      return fail(scope, Reason.ImageNotFound, message);
    }
    const instance = await target.provider.create(createRequest(scope, image, userData.userData));
    recordInstance(scope, instance);
    scope.status.phase = 'Provisioning';
    setMachineCondition(scope, { type: ConditionType.Launched, status: 'True', reason: Reason.InstanceCreated, message: `instance ${instance.id}` });
    scope.log.info({ provider: target.account.name, instanceId: instance.id, state: instance.state }, 'created instance');
    instanceCreated(scope, instance);
    return await applyObservation(scope, target, { kind: 'seen', instance, nextLookMs: PROVISIONING_POLL_MS });
  } catch (err) {
    if (!isProviderError(err)) throw err;
    return onCreateError(scope, target, err);
  }
}

function imageFor(scope: MachineScope, target: MachineTarget): Promise<string | undefined> {
  const { image, region } = scope.machine.spec;
  return image !== undefined ? Promise.resolve(image) : target.provider.image(region, osOf(target));
}

function osOf(target: MachineTarget): string {
  // Launch runs only on the Strategy's current account (findCurrentTarget), never on a Machine's record of one.
  if (target.strategy === undefined) throw new Error(`launch needs the Strategy of account ${target.account.name}`);
  return target.strategy.spec.software.os;
}

function createRequest(scope: MachineScope, image: string, userData: string | undefined): CreateRequest {
  const { spec } = scope.machine;
  return {
    machineUid: uidOf(scope.machine),
    attempt: 1,
    managedBy: scope.deps.managedBy,
    pool: spec.pool,
    namespace: namespaceOf(scope.machine),
    region: spec.region,
    zone: spec.zone,
    instanceType: spec.instanceType,
    ...(spec.capacityType === undefined ? {} : { capacityType: spec.capacityType }),
    image,
    ...(userData === undefined ? {} : { userData }),
  };
}

/**
 * By error class (docs/architecture.md "Conventions"): capacity and quota mark the offering out so
 * the pool places the replacement elsewhere; throttling waits; auth and invalid requests are
 * terminal for this Machine (and mark out what they concern, so its replacement does not repeat
 * them in a loop); transient failures go to the runtime's per-key back-off.
 */
export function onCreateError(scope: MachineScope, target: MachineTarget, err: ProviderError): Result {
  const { backoff } = scope.deps;
  const account = target.account.name;
  const { region, zone, instanceType, capacityType } = scope.machine.spec;
  const offering = offeringPath({ account, region, zone, instanceType, capacityType });
  switch (err.kind) {
    case 'capacity':
      backoff.markOut(offering, `capacity: ${err.message}`);
      return fail(scope, Reason.InsufficientCapacity, err.message);
    case 'quota':
      backoff.markOut(account, `quota: ${err.message}`);
      return fail(scope, Reason.QuotaExceeded, err.message);
    case 'throttled': {
      const waitMs = err.retryAfterMs ?? DEFAULT_THROTTLE_WAIT_MS;
      setMachineCondition(scope, { type: ConditionType.Launched, status: 'False', reason: Reason.Throttled, message: err.message });
      scope.log.warn({ provider: account, err, waitMs }, 'create throttled, retrying');
      return { requeueAfterMs: waitMs };
    }
    case 'auth':
      backoff.markOut(account, `auth: ${err.message}`);
      return fail(scope, Reason.AuthFailed, err.message);
    case 'invalidRequest':
      backoff.markOut(offering, `invalid request: ${err.message}`);
      return fail(scope, Reason.InvalidRequest, err.message);
    case 'transient':
      throw err;
    default:
      return assertNever(err);
  }
}

function fail(scope: MachineScope, reason: string, message: string): Result {
  markFailed(scope, reason, message);
  setMachineCondition(scope, { type: ConditionType.Launched, status: 'False', reason, message });
  scope.log.warn({ reason, message }, 'machine failed to launch');
  machineFailed(scope, reason, 'Create', message);
  return done;
}

function assertNever(value: never): never {
  throw new Error(`unexpected provider error: ${String(value)}`);
}
