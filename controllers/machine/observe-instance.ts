import { ConditionType, Reason } from '../../api/index.js';
import { isProviderError, type Instance } from '../../providers/index.js';
import { rfc3339Seconds } from '../../runtime/clock.js';
import type { MachineTarget } from './account.js';
import { taggedInstances } from './instance-lookup.js';
import { DEFAULT_THROTTLE_WAIT_MS, getInstance } from './provider-calls.js';
import type { MachineScope } from './scope.js';
import { setMachineCondition } from './status.js';

/**
 * How long the provider may answer that it has no such instance before the instance is declared
 * gone. EC2 is eventually consistent for seconds after a create, and any cloud can answer "not
 * found" during a hiccup; declaring a live instance gone would replace it and leak it.
 */
export const NOT_FOUND_GRACE_MS = 60_000;

export type Observation =
  | { readonly kind: 'seen'; readonly instance: Instance }
  /** Not found by id over the grace period, nor by its tags at its end. */
  | { readonly kind: 'gone'; readonly why: string }
  | { readonly kind: 'wait'; readonly ms: number };

/**
 * What the provider shows of the Machine's instance. A "not found" starts a clock
 * (status.instanceNotFoundSince) rather than a failure: only absence from successful looks spanning
 * NOT_FOUND_GRACE_MS (at least two: the first and one past the grace) followed by a lookup by the
 * Machine's tags that finds nothing declares it gone. A lookup that finds it under another id
 * adopts that one. `pollMs`: when the phase would look again anyway.
 */
export async function observeInstance(scope: MachineScope, target: MachineTarget, instanceId: string, pollMs: number): Promise<Observation> {
  const got = await getInstance(scope, target, instanceId);
  if (got.kind === 'wait') return got;
  if (got.instance !== undefined) {
    delete scope.status.instanceNotFoundSince;
    return { kind: 'seen', instance: got.instance };
  }
  const since = scope.status.instanceNotFoundSince ?? rfc3339Seconds(scope.now);
  scope.status.instanceNotFoundSince = since;
  const remainingMs = Date.parse(since) + NOT_FOUND_GRACE_MS - scope.now.getTime();
  if (remainingMs > 0) {
    const message = `the provider has not shown instance ${instanceId} since ${since}; it is declared gone only if that lasts ${NOT_FOUND_GRACE_MS / 1000} s and a lookup by its tags finds nothing`;
    setMachineCondition(scope, { type: ConditionType.Ready, status: 'Unknown', reason: Reason.InstanceNotFound, message });
    return { kind: 'wait', ms: Math.min(pollMs, remainingMs) };
  }
  let tagged: Instance[];
  try {
    tagged = await taggedInstances(scope, target);
  } catch (err) {
    if (isProviderError(err) && err.kind === 'throttled') return { kind: 'wait', ms: err.retryAfterMs ?? DEFAULT_THROTTLE_WAIT_MS };
    throw err;
  }
  const [adopted] = tagged.sort((a, b) => (a.createdAt < b.createdAt ? -1 : a.createdAt > b.createdAt ? 1 : 0));
  if (adopted !== undefined) {
    delete scope.status.instanceNotFoundSince;
    scope.log.info({ instanceId: adopted.id, previousId: instanceId }, 'found instance by its tags');
    return { kind: 'seen', instance: adopted };
  }
  return { kind: 'gone', why: `the provider has not known it since ${since}, by id or by its tags` };
}
