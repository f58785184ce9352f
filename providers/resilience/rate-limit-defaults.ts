import type { ProviderAccount, RateLimit } from '../../api/index.js';
import type { BucketShape } from './token-bucket.js';

type ProviderType = ProviderAccount['type'];

/** One account's client-side budget: a bucket for reads, one for creates and deletes. */
export interface RateLimits {
  readonly reads: BucketShape;
  readonly writes: BucketShape;
  /**
   * A budget the cloud counts reads and writes against together, on top of the two buckets; writes
   * take from it first and reads leave the `writeReserveShare` of it (0 to 1) for them. Its `remaining` is
   * what the cloud reports, when the adapter can see it (DigitalOcean's headers).
   */
  readonly shared?: BucketShape & { readonly writeReserveShare: number };
}

/**
 * Defaults in the shape of each cloud's documented limits, at a fraction of them: other tools (the
 * console, the CLI, Terraform, other controllers) spend the same account's budget, and a budget
 * spent by us is one they cannot use either. An account's `rateLimit` replaces any of the numbers.
 */
export const DEFAULT_RATE_LIMITS: Readonly<Record<ProviderType, RateLimits>> = {
  // EC2 throttles per account and region with token buckets of its own, non-mutating calls
  // (Describe*) apart from mutating ones: the documented non-mutating bucket holds 100 tokens and
  // refills 20 per second; the mutating one holds 50 and refills 5 per second (RunInstances and
  // TerminateInstances also spend a resource bucket each). A quarter of the reads' and a fifth of
  // the writes'. Our buckets are per account, not per region: stricter than EC2's, never looser.
  aws: {
    reads: { capacity: 25, refillPerSecond: 5 },
    writes: { capacity: 10, refillPerSecond: 1 },
  },
  // Compute Engine rate quotas are per project and per minute, each group counted apart: reads
  // (*.get), lists (*.list) and mutations ("Queries", the default group) are 1,500 requests per
  // minute (25 per second) by default. Reads here cover get and list together: about a quarter of
  // one group; writes a twelfth of the mutation group, whose operations we poll as reads too.
  gcp: {
    reads: { capacity: 60, refillPerSecond: 6 },
    writes: { capacity: 20, refillPerSecond: 2 },
  },
  // DigitalOcean counts every request of a token against one budget: 5,000 per hour and 250 per
  // minute, reported on each answer in ratelimit-limit, ratelimit-remaining and ratelimit-reset
  // (when the oldest counted request expires). The two buckets together stay under the minute's
  // 250 (at most 2 per second and 30 at once: 150 a minute); the shared bucket is the hour's
  // 5,000, refilled as requests expire (5000/3600 per second) and resynced with ratelimit-remaining,
  // which counts other tools' requests too. Reads leave the last 10% of it to creates and deletes.
  digitalocean: {
    reads: { capacity: 20, refillPerSecond: 1 },
    writes: { capacity: 10, refillPerSecond: 1 },
    shared: { capacity: 5000, refillPerSecond: 5000 / 3600, writeReserveShare: 0.1 },
  },
  // The simulated cloud has no limit; generous enough that tests and demos never wait on it.
  sim: {
    reads: { capacity: 1000, refillPerSecond: 1000 },
    writes: { capacity: 1000, refillPerSecond: 1000 },
  },
};

/** The account's limits: its cloud's defaults with each field of `spec.providers[].rateLimit` laid over. */
export function rateLimitsFor(type: ProviderType, configured: RateLimit | undefined): RateLimits {
  const defaults = DEFAULT_RATE_LIMITS[type];
  return {
    ...defaults,
    reads: {
      capacity: configured?.readBurst ?? defaults.reads.capacity,
      refillPerSecond: configured?.readsPerSecond ?? defaults.reads.refillPerSecond,
    },
    writes: {
      capacity: configured?.writeBurst ?? defaults.writes.capacity,
      refillPerSecond: configured?.writesPerSecond ?? defaults.writes.refillPerSecond,
    },
  };
}
