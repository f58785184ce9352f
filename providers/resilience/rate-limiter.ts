import { ThrottledError } from '../errors.js';
import type { ProviderOp } from '../types.js';
import type { RateLimits } from './rate-limit-defaults.js';
import { systemLimiterTimers, TokenBucket, type LimiterTimers } from './token-bucket.js';

export interface AccountRateLimiterOptions {
  /** The account's name, for errors. */
  readonly account?: string;
  /**
   * Longest a call waits in place for its token. A longer expected wait is a ThrottledError with
   * that wait as retryAfterMs instead, so the caller requeues rather than holding a worker (of
   * which every account's calls share a few) for minutes. Default: no bound.
   */
  readonly maxWaitMs?: number;
}

/** Writes change the fleet; reads only look at it. */
export type CallKind = 'read' | 'write';

const WRITES: ReadonlySet<string> = new Set<ProviderOp>(['create', 'delete']);

/** create and delete are writes; everything else (regions, offerings, image, get, list, any describe) reads. */
export function callKind(op: string): CallKind {
  return WRITES.has(op) ? 'write' : 'read';
}

/** What a cloud says of an account's budget in its answers, as far as it says. */
export interface RateBudgetReport {
  /** Requests the budget allows per window. */
  readonly limit?: number;
  /** Requests left in the window now, counting every client of the account. */
  readonly remaining?: number;
}

/** Told by an adapter what its cloud reports of the budget (DigitalOcean's ratelimit-* headers). */
export interface RateBudgetListener {
  report(budget: RateBudgetReport): void;
}

/**
 * One account's client-side rate limit. Reads and writes take from buckets of their own, so no
 * amount of observation (gets, lists) delays a create or a delete. Where the cloud counts both
 * against one budget (`limits.shared`), each call also takes from that, writes ahead of any read
 * and reads only above the writes' reserve; what the cloud reports as remaining resyncs it, so
 * calls slow down to the budget's refill when others have spent it.
 */
export class AccountRateLimiter implements RateBudgetListener {
  private readonly reads: TokenBucket;
  private readonly writes: TokenBucket;
  private readonly shared: TokenBucket | undefined;
  private readonly account: string;
  private readonly maxWaitMs: number;

  constructor(
    readonly limits: RateLimits,
    private readonly timers: LimiterTimers = systemLimiterTimers,
    options: AccountRateLimiterOptions = {},
  ) {
    this.account = options.account ?? '';
    this.maxWaitMs = options.maxWaitMs ?? Number.POSITIVE_INFINITY;
    this.reads = new TokenBucket(limits.reads, timers);
    this.writes = new TokenBucket(limits.writes, timers);
    this.shared = limits.shared === undefined ? undefined : new TokenBucket({ ...limits.shared, reserveShare: limits.shared.writeReserveShare }, timers);
  }

  /**
   * Resolves when a call of `kind` may be sent, with the milliseconds it waited for that; rejects
   * at once with a ThrottledError carrying the expected wait when that is longer than `maxWaitMs`.
   */
  async acquire(kind: CallKind): Promise<number> {
    const started = this.timers.now().getTime();
    const bucket = kind === 'write' ? this.writes : this.reads;
    const expectedMs = bucket.estimateWaitMs() + (this.shared?.estimateWaitMs(kind === 'write') ?? 0);
    if (expectedMs > this.maxWaitMs) {
      // The message names no time, so it reads the same on every call; the wait is in retryAfterMs.
      throw new ThrottledError(
        `the account's client-side rate limit holds this ${kind} back longer than a call waits in place; raise the account's rateLimit if its cloud allows more`,
        this.account,
        expectedMs,
      );
    }
    await bucket.take();
    await this.shared?.take(kind === 'write');
    return this.timers.now().getTime() - started;
  }

  report(budget: RateBudgetReport): void {
    if (this.shared === undefined || budget.remaining === undefined) return;
    this.shared.resync(budget.remaining, budget.limit);
  }
}
