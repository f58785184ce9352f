import { ConditionType, Reason, FINALIZER_MACHINE } from '../../api/index.js';
import { isProviderError } from '../../providers/index.js';
import type { Instance } from '../../providers/index.js';
import type { Result } from '../../runtime/controller/index.js';
import type { MachineTarget, TargetLookup } from './account.js';
import { instanceDeleted, terminationBlocked } from './events.js';
import { taggedInstances } from './instance-lookup.js';
import { NOT_FOUND_GRACE_MS } from './observe-instance.js';
import { DEFAULT_THROTTLE_WAIT_MS, getInstance } from './provider-calls.js';
import type { MachineScope } from './scope.js';
import { setMachineCondition } from './status.js';

/** How often a deleting Machine looks whether its instance is terminated yet. */
export const TERMINATION_POLL_MS = 2_000;
/** How often a blocked deletion looks whether its account came back. */
export const BLOCKED_RETRY_MS = 60_000;

/** released: no instance of the Machine can exist and the finalizer may go; otherwise wait and look again. */
export type Termination = { readonly kind: 'released' } | { readonly kind: 'waiting'; readonly result: Result };

/**
 * Create failures that prove the provider made no instance, used only when no account can be
 * reached to look. An invalid request is not among them: EC2's IdempotentParameterMismatch, or a
 * refusal to adopt a droplet, is raised precisely because an instance of this Machine exists.
 */
const CREATE_REFUSED: readonly string[] = [Reason.InsufficientCapacity, Reason.QuotaExceeded, Reason.AuthFailed];

/**
 * Deleting: terminates the instance recorded in status and every instance tagged with the Machine's
 * UID in its region (a crash between a create and its status write leaves one unrecorded), and
 * releases the Machine only once the recorded instance is terminated or unknown to the provider AND
 * a lookup by the Machine's tags finds nothing left: a "not found" for an id, or a create that was
 * refused, is never proof on its own. Stopped instances are deleted like running ones. If no
 * account can be found, the finalizer stays unless the status proves no instance was ever made.
 */
export async function terminate(scope: MachineScope, lookup: TargetLookup): Promise<Termination> {
  if (!lookup.found) return blocked(scope, lookup.problem);
  const target = lookup.target;
  const looked = await liveInstances(scope, target);
  if (looked.kind === 'wait') return waiting(scope, { requeueAfterMs: looked.ms }, 'the provider throttled the lookup');
  const live = looked.instances;
  if (live.length === 0) {
    const unsettledMs = mayBeInvisibleForMs(scope);
    if (unsettledMs > 0) return waiting(scope, { requeueAfterMs: unsettledMs }, 'no instance found yet, but a new one may not be visible for a minute after its create: looking again');
    scope.log.info({ instanceId: scope.status.instanceId }, 'instance terminated, releasing machine');
    instanceDeleted(scope, scope.status.instanceId === undefined ? [] : [scope.status.instanceId]);
    return { kind: 'released' };
  }
  for (const instance of live) {
    scope.status.instanceId ??= instance.id;
    if (instance.state === 'terminating') continue;
    const wait = await deleteInstance(scope, target, instance.id);
    if (wait !== undefined) return waiting(scope, { requeueAfterMs: wait }, 'the provider throttled the delete');
    scope.log.info({ provider: target.account.name, instanceId: instance.id, state: instance.state }, 'deleting instance');
  }
  const ids = live.map((i) => i.id).join(', ');
  return waiting(scope, { requeueAfterMs: TERMINATION_POLL_MS }, `waiting for instance ${ids} to terminate`, Reason.DeleteRequested);
}

/**
 * A cloud may not show an instance for a while after its create (EC2 is eventually consistent), so
 * finding none proves nothing until the Machine and its instance are NOT_FOUND_GRACE_MS old, unless
 * this termination saw an instance and deleted it (then its absence is the delete's doing), or the
 * one create was refused.
 */
function mayBeInvisibleForMs(scope: MachineScope): number {
  const terminated = scope.status.conditions?.find((c) => c.type === ConditionType.InstanceTerminated);
  if (terminated?.reason === Reason.DeleteRequested || provablyNoInstance(scope)) return 0;
  const since = Math.max(Date.parse(scope.machine.metadata.creationTimestamp ?? '') || 0, Date.parse(scope.status.createdAt ?? '') || 0);
  return since + NOT_FOUND_GRACE_MS - scope.now.getTime();
}

type Live = { readonly kind: 'seen'; readonly instances: readonly Instance[] } | { readonly kind: 'wait'; readonly ms: number };

/** The recorded instance (unless terminated or unknown) and every tagged one not yet terminated. */
async function liveInstances(scope: MachineScope, target: MachineTarget): Promise<Live> {
  const found = new Map<string, Instance>();
  const id = scope.status.instanceId;
  if (id !== undefined) {
    const observed = await getInstance(scope, target, id);
    if (observed.kind === 'wait') return observed;
    if (observed.instance !== undefined && observed.instance.state !== 'terminated') found.set(id, observed.instance);
  }
  try {
    for (const instance of await taggedInstances(scope, target)) found.set(instance.id, instance);
  } catch (err) {
    return { kind: 'wait', ms: throttledOrThrow(err) };
  }
  return { kind: 'seen', instances: [...found.values()] };
}

/** Undefined when the delete was accepted, else how long to wait before trying again. */
async function deleteInstance(scope: MachineScope, target: MachineTarget, instanceId: string): Promise<number | undefined> {
  try {
    await target.provider.delete(instanceId, scope.machine.spec.region);
    return undefined;
  } catch (err) {
    const ms = throttledOrThrow(err);
    scope.log.warn({ provider: target.account.name, instanceId, waitMs: ms }, 'delete throttled, retrying');
    return ms;
  }
}

/** How long to wait after a throttled call; anything else goes up. */
function throttledOrThrow(err: unknown): number {
  if (isProviderError(err) && err.kind === 'throttled') return err.retryAfterMs ?? DEFAULT_THROTTLE_WAIT_MS;
  throw err;
}

function waiting(scope: MachineScope, result: Result, message: string, reason: string = Reason.Terminating): Termination {
  scope.status.phase = 'Terminating';
  setMachineCondition(scope, { type: ConditionType.InstanceTerminated, status: 'False', reason, message });
  return { kind: 'waiting', result };
}

/**
 * No account can reach the instance (a Machine made before Machines recorded their account, whose
 * Strategy account is gone). Releasing the Machine could leak an instance that bills forever; waiting silently would hang
 * the pool's deletion. So: release only when the status proves there never was an instance, else
 * keep the finalizer, say why in a condition and a Warning event, and look again every minute.
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

/** The one create was refused for capacity, quota or auth, and no instance was ever recorded. */
function provablyNoInstance(scope: MachineScope): boolean {
  const { instanceId, failureReason } = scope.status;
  return instanceId === undefined && failureReason !== undefined && CREATE_REFUSED.includes(failureReason);
}
