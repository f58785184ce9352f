import { isProviderError } from '../errors.js';

/** How a provider call is retried; `maxAttempts: 1` turns retrying off. */
export interface RetryPolicy {
  /** Attempts in all, the first included. */
  readonly maxAttempts: number;
  /** The first back-off's ceiling; each later one doubles it. */
  readonly baseMs: number;
  /** No back-off is drawn above this; a provider asking for a longer wait is not retried here (see `retryDelayMs`). */
  readonly capMs: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = { maxAttempts: 4, baseMs: 200, capMs: 5_000 };

/** Time and randomness of the retries, injected so tests neither sleep nor guess. */
export interface RetryTiming {
  sleep(ms: number): Promise<void>;
  /** Uniform in [0, 1), like Math.random. */
  random(): number;
}

export const systemRetryTiming: RetryTiming = {
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
  random: Math.random,
};

/**
 * How long to wait before retry number `retry` (1 for the second attempt) after `error`, or
 * undefined not to retry. Only throttled and transient provider errors are retried: capacity,
 * quota, auth and invalid requests would fail again the same way, and anything that is not a
 * provider error is a bug. The wait is "full jitter" (uniform in [0, min(cap, base·2^(retry-1))]),
 * so many callers throttled together do not come back together; a ThrottledError's retryAfterMs
 * is a floor. A retryAfterMs above the cap is handed to the caller instead of being slept through:
 * the controllers requeue for that long without holding a reconcile.
 */
export function retryDelayMs(policy: RetryPolicy, retry: number, error: unknown, random: () => number): number | undefined {
  if (retry >= policy.maxAttempts || !isProviderError(error)) return undefined;
  if (error.kind !== 'throttled' && error.kind !== 'transient') return undefined;
  const ceiling = Math.min(policy.capMs, policy.baseMs * 2 ** (retry - 1));
  const jitter = Math.floor(random() * ceiling);
  const asked = error.kind === 'throttled' ? error.retryAfterMs : undefined;
  if (asked === undefined) return jitter;
  return asked > policy.capMs ? undefined : Math.max(asked, jitter);
}

/** Calls `attempt` (with its number, from 1) until it resolves or `retryDelayMs` says to stop, then rethrows the last error. */
export async function withRetry<T>(policy: RetryPolicy, timing: RetryTiming, attempt: (n: number) => Promise<T>): Promise<T> {
  for (let n = 1; ; n++) {
    try {
      return await attempt(n);
    } catch (error) {
      const delay = retryDelayMs(policy, n, error, () => timing.random());
      if (delay === undefined) throw error;
      await timing.sleep(delay);
    }
  }
}
