import { ThrottledError } from '../errors.js';
import type { RateBudgetListener } from '../resilience/index.js';
import type { ProviderOp } from '../types.js';

/**
 * DigitalOcean's rate limit, as every response reports it: `ratelimit-limit`, `ratelimit-remaining`
 * and `ratelimit-reset` (Unix seconds when the oldest counted request expires and frees one slot).
 * Once remaining is 0 every call is refused with 429 until then, so the adapter waits instead of
 * spending a request on a sure refusal — up to a bound; a longer wait is a ThrottledError that
 * says how long, for the caller's back-off to honour.
 */

export interface RateLimitTiming {
  nowMs(): number;
  sleep(ms: number): Promise<void>;
}

export const systemRateLimitTiming: RateLimitTiming = {
  nowMs: () => Date.now(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
};

/** Longest a call waits in the adapter for the budget to come back; longer is a ThrottledError. */
export const DEFAULT_MAX_RATE_LIMIT_WAIT_MS = 10_000;

function header(headers: unknown, name: string): string | undefined {
  if (typeof headers !== 'object' || headers === null) return undefined;
  const value = (headers as Record<string, unknown>)[name];
  if (typeof value === 'number') return String(value);
  return typeof value === 'string' ? value : undefined;
}

function wholeNumber(text: string | undefined): number | undefined {
  if (text === undefined || !/^[0-9]+$/.test(text.trim())) return undefined;
  return Number(text.trim());
}

export interface RateLimitState {
  readonly limit?: number;
  readonly remaining?: number;
  /** Epoch ms when a slot frees. */
  readonly resetAtMs?: number;
}

export function rateLimitFromHeaders(headers: unknown): RateLimitState {
  const limit = wholeNumber(header(headers, 'ratelimit-limit'));
  const remaining = wholeNumber(header(headers, 'ratelimit-remaining'));
  const reset = wholeNumber(header(headers, 'ratelimit-reset'));
  return {
    ...(limit === undefined ? {} : { limit }),
    ...(remaining === undefined ? {} : { remaining }),
    ...(reset === undefined ? {} : { resetAtMs: reset * 1000 }),
  };
}

/**
 * How long a 429 says to wait: Retry-After (seconds) if sent, else until ratelimit-reset when the
 * hourly budget is what ran out. A 429 with budget left is DO's per-minute limit (250), whose end
 * the headers do not give: then undefined, and the caller's back-off decides.
 */
export function retryAfterMsFromHeaders(headers: unknown, nowMs: number): number | undefined {
  const retryAfter = wholeNumber(header(headers, 'retry-after'));
  if (retryAfter !== undefined) return retryAfter * 1000;
  const { remaining, resetAtMs } = rateLimitFromHeaders(headers);
  if (resetAtMs === undefined || (remaining !== undefined && remaining > 0)) return undefined;
  return Math.max(0, resetAtMs - nowMs);
}

/** One account's view of its budget, fed by every response, consulted before every call. */
export class RateLimitGate {
  private exhaustedUntilMs: number | undefined;

  constructor(
    private readonly account: string,
    private readonly timing: RateLimitTiming = systemRateLimitTiming,
    private readonly maxWaitMs: number = DEFAULT_MAX_RATE_LIMIT_WAIT_MS,
    /** Told the limit and remaining of every answer that has them: the account's rate limiter paces on them. */
    private readonly budget?: RateBudgetListener,
  ) {}

  /** Records what a response (or a refusal) said about the budget. */
  observe(headers: unknown): void {
    const { limit, remaining, resetAtMs } = rateLimitFromHeaders(headers);
    if (remaining === undefined) return;
    this.budget?.report({ remaining, ...(limit === undefined ? {} : { limit }) });
    this.exhaustedUntilMs = remaining === 0 && resetAtMs !== undefined ? resetAtMs : undefined;
  }

  /** Resolves when a call may go out; rejects with ThrottledError if that is more than the bound away. */
  async beforeCall(op: ProviderOp): Promise<void> {
    const until = this.exhaustedUntilMs;
    if (until === undefined) return;
    const waitMs = until - this.timing.nowMs();
    if (waitMs <= 0) return;
    if (waitMs > this.maxWaitMs) {
      // The wait is in retryAfterMs; the message names no time, so it reads the same on every call.
      throw new ThrottledError(`DigitalOcean's request budget is spent for longer than the adapter waits; ${op} not sent`, this.account, waitMs);
    }
    await this.timing.sleep(waitMs);
  }
}
