import { isProviderError } from '../../providers/index.js';
import { observerOf } from '../observer/index.js';
import type { MachineTarget } from './account.js';
import { observeInstance, type Observation } from './observe-instance.js';
import { DEFAULT_THROTTLE_WAIT_MS } from './provider-calls.js';
import type { MachineScope } from './scope.js';

/**
 * A Provisioning Machine's look, every `pollMs`: its instance by id through the account-region's
 * batched describe (one call for every Machine looking at the same time, rather than one get each,
 * and not a listing of the region's whole fleet every few seconds). Only when the describe does not
 * show it does the shared listing decide, with its not-found grace (observeInstance). A throttled
 * describe waits as the cloud said; other failures go to the runtime's back-off.
 */
export async function observeProvisioning(scope: MachineScope, target: MachineTarget, instanceId: string, pollMs: number): Promise<Observation> {
  let instance;
  try {
    instance = await observerOf(scope.deps).lookup(target.provider, scope.machine.spec.region, instanceId);
  } catch (err) {
    if (!isProviderError(err) || err.kind !== 'throttled') throw err;
    const ms = err.retryAfterMs ?? DEFAULT_THROTTLE_WAIT_MS;
    scope.log.warn({ provider: target.account.name, instanceId, waitMs: ms }, 'describe throttled, waiting');
    return { kind: 'wait', ms };
  }
  if (instance === undefined) return observeInstance(scope, target, instanceId, pollMs, true);
  delete scope.status.instanceNotFoundSince;
  return { kind: 'seen', instance, nextLookMs: pollMs };
}
