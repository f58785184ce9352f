import type { Clock } from '../../runtime/clock.js';

/**
 * Where creates failed for capacity or quota, marked out for a while so the NodePool re-places the
 * slot (the next CRUSH choice, the next offering by pick) instead of retrying a hot spot.
 * Keys are paths of any depth: "account" (auth, quota), "account/region/zone" (capacity in a zone),
 * "account/region/zone/instanceType" (one type). In memory: after a restart each is tried once more.
 */
export class OfferingBackoff {
  private readonly until = new Map<string, { untilMs: number; reason: string; failures: number }>();

  constructor(
    private readonly clock: Clock,
    private readonly baseMs = 60_000,
    private readonly maxMs = 30 * 60_000,
  ) {}

  /** Marks `key` out; each repeat while it is still remembered doubles the period, up to the cap. */
  markOut(key: string, reason: string): number {
    const prev = this.until.get(key);
    const failures = (prev?.failures ?? 0) + 1;
    const periodMs = Math.min(this.maxMs, this.baseMs * 2 ** (failures - 1));
    const untilMs = this.clock.now().getTime() + periodMs;
    this.until.set(key, { untilMs, reason, failures });
    return periodMs;
  }

  /** True if `path` or any of its ancestors ("a/b/c" → "a/b", "a") is out now. */
  isOut(path: string): boolean {
    return this.reasonOut(path) !== undefined;
  }

  /** Why `path` (or an ancestor) is out, or undefined. */
  reasonOut(path: string): string | undefined {
    const now = this.clock.now().getTime();
    const parts = path.split('/');
    for (let i = parts.length; i > 0; i--) {
      const entry = this.until.get(parts.slice(0, i).join('/'));
      if (entry !== undefined && entry.untilMs > now) return `${parts.slice(0, i).join('/')}: ${entry.reason}`;
    }
    return undefined;
  }

  /** Milliseconds until the earliest mark expires (when a waiting pool should look again), or undefined. */
  nextExpiryMs(): number | undefined {
    const now = this.clock.now().getTime();
    let next: number | undefined;
    for (const [key, entry] of this.until) {
      if (entry.untilMs <= now) {
        // Forget expired marks after a quiet period of the same length, so a later failure starts short again.
        if (now - entry.untilMs > this.maxMs) this.until.delete(key);
        continue;
      }
      next = Math.min(next ?? Infinity, entry.untilMs - now);
    }
    return next;
  }
}

/**
 * The back-off key of one offering: account/region/zone/instanceType, and below it `/spot` for the
 * type bought as spot. A spot capacity error marks out the spot offering only, so the pool falls
 * back to the same type on demand (or the next choice); marking the type out covers both.
 */
export function offeringPath(o: { readonly account: string; readonly region: string; readonly zone: string; readonly instanceType: string; readonly capacityType?: string | undefined }): string {
  const base = `${o.account}/${o.region}/${o.zone}/${o.instanceType}`;
  return o.capacityType === 'spot' ? `${base}/spot` : base;
}
