import { isProviderError } from '../../providers/index.js';
import type { Instance } from '../../providers/index.js';
import type { MachineTarget } from './account.js';
import type { MachineScope } from './scope.js';

/** How long to wait after a throttled call when the provider did not say. */
export const DEFAULT_THROTTLE_WAIT_MS = 5_000;

export type Observed = { readonly kind: 'seen'; readonly instance: Instance | undefined } | { readonly kind: 'wait'; readonly ms: number };

/**
 * `get` in the Machine's region, with throttling turned into a wait instead of an error (the provider said when to come
 * back); every other failure goes up to the runtime's per-key back-off.
 */
export async function getInstance(scope: MachineScope, target: MachineTarget, instanceId: string): Promise<Observed> {
  try {
    return { kind: 'seen', instance: await target.provider.get(instanceId, scope.machine.spec.region) };
  } catch (err) {
    if (isProviderError(err) && err.kind === 'throttled') {
      const ms = err.retryAfterMs ?? DEFAULT_THROTTLE_WAIT_MS;
      scope.log.warn({ provider: target.account.name, instanceId, err, waitMs: ms }, 'get throttled, retrying');
      return { kind: 'wait', ms };
    }
    throw err;
  }
}
