import { ConditionType, Reason } from '../../api/index.js';
import { done } from '../../runtime/controller/index.js';
import type { Result } from '../../runtime/controller/index.js';
import type { MachineTarget } from './account.js';
import { observerOf } from '../observer/index.js';
import { observeInstance } from './observe-instance.js';
import { failedByInstance, LIVENESS_PERIOD_MS, LIVENESS_RESYNC_MS } from './registration.js';
import { namespaceOf, uidOf, type MachineScope } from './scope.js';
import { recordInstance, setMachineCondition } from './status.js';

/**
 * Running: no watch reports a cloud instance dying, so the Machine reads its account-region's
 * shared listing (never older than 30 s) and registers with the fleet observer, which enqueues it
 * when a later listing shows its instance changed or gone; it then looks again only at the long
 * resync, or every 30 s while nothing pushes. A vanished (for longer than the not-found grace),
 * stopped, failed or terminated instance fails the Machine, and the pool replaces it.
 */
export async function checkLiveness(scope: MachineScope, target: MachineTarget, instanceId: string): Promise<Result> {
  const observed = await observeInstance(scope, target, instanceId, LIVENESS_PERIOD_MS);
  if (observed.kind === 'wait') return { requeueAfterMs: observed.ms };
  if (failedByInstance(scope, target, observed) || observed.kind !== 'seen') return done;
  const { instance } = observed;
  recordInstance(scope, instance);
  if (instance.state === 'running') {
    setMachineCondition(scope, { type: ConditionType.Ready, status: 'True', reason: Reason.InstanceRunning, message: `instance ${instance.id} is running` });
  }
  const observer = observerOf(scope.deps);
  observer.track(target.provider, scope.machine.spec.region, uidOf(scope.machine), { namespace: namespaceOf(scope.machine), name: scope.machine.metadata.name });
  return { requeueAfterMs: observer.pushing() ? LIVENESS_RESYNC_MS : observed.nextLookMs };
}
