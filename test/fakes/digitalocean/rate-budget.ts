/**
 * DigitalOcean's request budget: each request counts against the limit for one window after it
 * was made (its own timer, not a fixed hourly reset), and `ratelimit-reset` is when the oldest
 * counted request expires. At zero remaining, requests are refused with 429 until then.
 */
export class RateBudget {
  private readonly counted: number[] = [];

  constructor(
    readonly limit: number,
    private readonly windowMs: number,
    private readonly nowMs: () => number,
  ) {}

  private prune(): void {
    const now = this.nowMs();
    while (this.counted.length > 0 && (this.counted[0] ?? 0) + this.windowMs <= now) this.counted.shift();
  }

  /** Counts a request if the budget allows it; false if it must be refused. */
  take(): boolean {
    this.prune();
    if (this.counted.length >= this.limit) return false;
    this.counted.push(this.nowMs());
    return true;
  }

  headers(): Record<string, string> {
    this.prune();
    const oldest = this.counted[0];
    const resetMs = oldest === undefined ? this.nowMs() : oldest + this.windowMs;
    return {
      'ratelimit-limit': String(this.limit),
      'ratelimit-remaining': String(Math.max(0, this.limit - this.counted.length)),
      'ratelimit-reset': String(Math.ceil(resetMs / 1000)),
    };
  }
}
