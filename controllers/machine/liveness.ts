import { ConditionType, Reason } from '../../api/index.js';
import { done } from '../../runtime/controller/index.js';
import type { Result } from '../../runtime/controller/index.js';
import type { MachineTarget } from './account.js';
import { getInstance } from './provider-calls.js';
import { failedByInstance, LIVENESS_PERIOD_MS } from './registration.js';
import type { MachineScope } from './scope.js';
import { recordInstance, setMachineCondition } from './status.js';

/**
 * Running: no watch reports a cloud instance dying, so the Machine looks every 30 s. A vanished,
 * failed or terminated instance fails the Machine, and the pool replaces it.
 */
export async function checkLiveness(scope: MachineScope, target: MachineTarget, instanceId: string): Promise<Result> {
  const observed = await getInstance(scope, target, instanceId);
  if (observed.kind === 'wait') return { requeueAfterMs: observed.ms };
  const { instance } = observed;
  if (failedByInstance(scope, instance) || instance === undefined) return done;
  recordInstance(scope, instance);
  if (instance.state === 'running') {
    setMachineCondition(scope, { type: ConditionType.Ready, status: 'True', reason: Reason.InstanceRunning, message: `instance ${instance.id} is running` });
  }
  return { requeueAfterMs: LIVENESS_PERIOD_MS };
}
