export interface BackoffOptions {
  /** First delay. Default 800 ms, client-go's reflector. */
  readonly initialMs?: number;
  /** Longest delay. Default 30 s. */
  readonly maxMs?: number;
  /** [0, 1); injected so tests get fixed delays. */
  readonly random?: () => number;
}

/**
 * Exponential backoff with full jitter on top: delay d doubles from `initialMs` to `maxMs`, and
 * each wait is d..2d, so informers of many processes that lost the same API server do not come
 * back in lock step.
 */
export class Backoff {
  private readonly initialMs: number;
  private readonly maxMs: number;
  private readonly random: () => number;
  private currentMs: number;

  constructor(options: BackoffOptions = {}) {
    this.initialMs = options.initialMs ?? 800;
    this.maxMs = options.maxMs ?? 30_000;
    this.random = options.random ?? Math.random;
    this.currentMs = this.initialMs;
  }

  /** The next wait, in milliseconds. */
  next(): number {
    const base = this.currentMs;
    this.currentMs = Math.min(this.maxMs, this.currentMs * 2);
    return Math.min(this.maxMs, base + base * this.random());
  }

  /** After a success: the next failure waits `initialMs` again. */
  reset(): void {
    this.currentMs = this.initialMs;
  }
}
