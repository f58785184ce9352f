import type { PriceReadFailure, ProviderObserver, RateLimitWait } from '../../providers/index.js';
import type { Logger } from '../../runtime/log.js';

/** A wait for a token this long or longer is logged: shorter ones are the rate limit doing its everyday pacing. */
export const LONG_RATE_LIMIT_WAIT_SECONDS = 1;

/**
 * What createProvider tells of every call: to the metrics when there are any, and a debug line
 * when a call waited long for its account's rate limit, so a slow reconcile can be told apart
 * from a slow cloud without a metrics stack at hand; and a warning when a pricing API could not be
 * read, which is why a Strategy's prices go stale (a missing pricing:GetProducts permission, say).
 */
export function providerObserver(log: Logger, metrics?: ProviderObserver): ProviderObserver {
  return {
    request: (request) => {
      metrics?.request(request);
    },
    priceReadFailed: (failure: PriceReadFailure) => {
      log.warn(
        { provider: failure.provider, account: failure.account, region: failure.region, reason: failure.reason },
        `could not read prices of ${failure.region} from account "${failure.account}"'s pricing API; cached or shipped-table prices serve meanwhile`,
      );
    },
    rateLimitWait: (wait: RateLimitWait) => {
      metrics?.rateLimitWait?.(wait);
      if (wait.seconds >= LONG_RATE_LIMIT_WAIT_SECONDS) {
        log.debug(
          { provider: wait.provider, account: wait.account, kind: wait.kind, waitedSeconds: wait.seconds },
          `a provider ${wait.kind} waited ${wait.seconds.toFixed(1)}s for a token of account "${wait.account}"'s rate limit`,
        );
      }
    },
  };
}
