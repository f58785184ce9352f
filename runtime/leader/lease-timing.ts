/** client-go's defaults: a 15 s Lease, renewed for up to 10 s, tried every 2 s. */
export const DEFAULT_LEASE_SECONDS = 15;

/** The shortest Lease: renewals every ~270 ms then, each a write to the API server. */
export const MIN_LEASE_SECONDS = 2;

/** The three durations of Lease election, in client-go's names. */
export interface LeaseTiming {
  readonly leaseDurationSeconds: number;
  readonly renewDeadlineMs: number;
  readonly retryPeriodMs: number;
}

/**
 * The renew deadline and retry period for a Lease of `leaseSeconds`, in client-go's default
 * proportions (15 s : 10 s : 2 s), so one number moves all three: a leader that cannot renew stops
 * at 2/3 of the Lease, a third of it before any candidate may take over, and tries 5 times first.
 */
export function leaseTiming(leaseSeconds = DEFAULT_LEASE_SECONDS): LeaseTiming {
  if (!Number.isInteger(leaseSeconds) || leaseSeconds < MIN_LEASE_SECONDS) {
    throw new RangeError(`the Lease duration must be a whole number of seconds, at least ${String(MIN_LEASE_SECONDS)}; got ${String(leaseSeconds)}`);
  }
  return { leaseDurationSeconds: leaseSeconds, renewDeadlineMs: Math.round((leaseSeconds * 2000) / 3), retryPeriodMs: Math.round((leaseSeconds * 2000) / 15) };
}
