import { ConditionType, Reason, FINALIZER_MACHINE } from '../../api/index.js';
import { isProviderError, TAG_MACHINE } from '../../providers/index.js';
import type { Instance } from '../../providers/index.js';
import type { Result } from '../../runtime/controller/index.js';
import type { MachineTarget, TargetLookup } from './account.js';
import { instanceDeleted, terminationBlocked } from './events.js';
import { DEFAULT_THROTTLE_WAIT_MS, getInstance } from './provider-calls.js';
import type { MachineScope } from './scope.js';
import { namespaceOf, uidOf } from './scope.js';
import { setMachineCondition } from './status.js';

/** How often a deleting Machine looks whether its instance is terminated yet. */
export const TERMINATION_POLL_MS = 2_000;
/** How often a blocked deletion looks whether its account came back. */
export const BLOCKED_RETRY_MS = 60_000;

/** released: the instance is gone and the finalizer may go; otherwise wait and look again. */
export type Termination = { readonly kind: 'released' } | { readonly kind: 'waiting'; readonly result: Result };

/** Failures of the create call itself: the provider made no instance (its create is idempotent, so a retry would have returned one). */
const CREATE_REJECTED: readonly string[] = [Reason.InsufficientCapacity, Reason.QuotaExceeded, Reason.AuthFailed, Reason.InvalidRequest];

/**
 * Deleting: terminates the instance, by its recorded id or, if none was recorded (a crash between
 * the create and the status write), by the Machine-UID tag, and waits until the provider shows it
 * terminated. Never leaks: if the account cannot be found, the finalizer stays unless the status
 * proves no instance was ever made.
 */
export async function terminate(scope: MachineScope, lookup: TargetLookup): Promise<Termination> {
  if (!lookup.found) return blocked(scope, lookup.problem);
  const target = lookup.target;
  const live = await liveInstances(scope, target);
  if (live.kind === 'wait') return waiting(scope, { requeueAfterMs: live.ms }, 'the provider throttled the lookup');
  if (live.instances.length === 0) {
    scope.log.info({ instanceId: scope.status.instanceId }, 'instance terminated, releasing machine');
    instanceDeleted(scope, scope.status.instanceId === undefined ? [] : [scope.status.instanceId]);
    return { kind: 'released' };
  }
  for (const instance of live.instances) {
    scope.status.instanceId ??= instance.id;
    if (instance.state === 'stopping') continue;
    const wait = await deleteInstance(scope, target, instance.id);
    if (wait !== undefined) return waiting(scope, { requeueAfterMs: wait }, 'the provider throttled the delete');
    scope.log.info({ provider: target.account.name, instanceId: instance.id }, 'deleting instance');
  }
  const ids = live.instances.map((i) => i.id).join(', ');
  return waiting(scope, { requeueAfterMs: TERMINATION_POLL_MS }, `waiting for instance ${ids} to terminate`);
}

type Live = { readonly kind: 'seen'; readonly instances: readonly Instance[] } | { readonly kind: 'wait'; readonly ms: number };

async function liveInstances(scope: MachineScope, target: MachineTarget): Promise<Live> {
  const id = scope.status.instanceId;
  if (id !== undefined) {
    const observed = await getInstance(scope, target, id);
    if (observed.kind === 'wait') return observed;
    const { instance } = observed;
    return { kind: 'seen', instances: instance === undefined || instance.state === 'terminated' ? [] : [instance] };
  }
  const uid = uidOf(scope.machine);
  try {
    const tagged = await target.provider.list({ managedBy: scope.deps.managedBy, pool: scope.machine.spec.pool, namespace: namespaceOf(scope.machine) });
    return { kind: 'seen', instances: tagged.filter((i) => i.tags[TAG_MACHINE] === uid && i.state !== 'terminated') };
  } catch (err) {
    return throttledOrThrow(err);
  }
}

/** Undefined when the delete was accepted, else how long to wait before trying again. */
async function deleteInstance(scope: MachineScope, target: MachineTarget, instanceId: string): Promise<number | undefined> {
  try {
    await target.provider.delete(instanceId);
    return undefined;
  } catch (err) {
    const wait = throttledOrThrow(err);
    scope.log.warn({ provider: target.account.name, instanceId, waitMs: wait.ms }, 'delete throttled, retrying');
    return wait.ms;
  }
}

function throttledOrThrow(err: unknown): { readonly kind: 'wait'; readonly ms: number } {
  if (isProviderError(err) && err.kind === 'throttled') return { kind: 'wait', ms: err.retryAfterMs ?? DEFAULT_THROTTLE_WAIT_MS };
  throw err;
}

function waiting(scope: MachineScope, result: Result, message: string): Termination {
  scope.status.phase = 'Terminating';
  setMachineCondition(scope, { type: ConditionType.InstanceTerminated, status: 'False', reason: Reason.Terminating, message });
  return { kind: 'waiting', result };
}

/**
 * The account is gone (Strategy deleted or edited), so the instance cannot be reached. Releasing
 * the Machine could leak an instance that bills forever; waiting silently would hang the pool's
 * deletion. So: release only when the status proves there never was an instance, else keep the
 * finalizer, say why in a condition and a Warning event, and look again every minute.
 */
function blocked(scope: MachineScope, problem: string): Termination {
  if (provablyNoInstance(scope)) {
    scope.log.info({ problem }, 'no instance was ever created, releasing machine');
    return { kind: 'released' };
  }
  const what = scope.status.instanceId === undefined ? 'any instance of this Machine' : `instance ${scope.status.instanceId}`;
  const message =
    `cannot terminate ${what}: ${problem}. Restore the provider account in the Strategy so polyfleet can terminate it, ` +
    `or terminate it yourself and then remove the finalizer ${FINALIZER_MACHINE} from this Machine`;
  scope.status.phase = 'Terminating';
  setMachineCondition(scope, { type: ConditionType.InstanceTerminated, status: 'False', reason: Reason.ProviderAccountNotFound, message });
  scope.log.error({ problem, instanceId: scope.status.instanceId }, 'machine deletion blocked: provider account not found');
  terminationBlocked(scope, message);
  return { kind: 'waiting', result: { requeueAfterMs: BLOCKED_RETRY_MS } };
}

function provablyNoInstance(scope: MachineScope): boolean {
  const { instanceId, failureReason } = scope.status;
  return instanceId === undefined && failureReason !== undefined && CREATE_REJECTED.includes(failureReason);
}
