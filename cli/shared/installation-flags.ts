import { UsageError } from './command-runner.js';

/** An installation identity as a tag value every cloud takes once escaped: a lowercase name. */
const IDENTITY = /^[a-z0-9]([a-z0-9._-]{0,61}[a-z0-9])?$/;

export const LEAK_GRACE_HELP = `  --leak-grace DURATION how long an instance of this installation that no Machine claims must be
                        seen so (by two listings that far apart) before the leak collector deletes
                        it, e.g. 90s, 10m (default 10m; at least 30s). The collector sweeps at least
                        once per grace period`;

/** Below this, a create in flight (the cloud finished, the status write not yet) could be taken for a leak. */
const MIN_LEAK_GRACE_MS = 30_000;

/** --leak-grace, already parsed as a duration; a UsageError below the floor. */
export function leakGraceFlag(ms: number | undefined): number | undefined {
  if (ms !== undefined && ms < MIN_LEAK_GRACE_MS) throw new UsageError(`--leak-grace must be at least 30s: a create in flight may look like a leak for that long, got ${ms / 1000}s`);
  return ms;
}

export const OFFERING_BACKOFF_HELP = `  --offering-backoff DURATION
                        how long an offering whose create failed for capacity (or an account, for
                        quota or credentials) is left out before the pool tries it again, e.g. 30s,
                        5m (default 60s; from 1s to 30m). Each repeat doubles it, up to 30 minutes`;

const MIN_OFFERING_BACKOFF_MS = 1_000;
const MAX_OFFERING_BACKOFF_MS = 30 * 60_000;

/** --offering-backoff, already parsed as a duration; a UsageError outside 1s–30m. */
export function offeringBackoffFlag(ms: number | undefined): number | undefined {
  if (ms !== undefined && (ms < MIN_OFFERING_BACKOFF_MS || ms > MAX_OFFERING_BACKOFF_MS)) {
    throw new UsageError(`--offering-backoff must be from 1s to 30m, got ${ms / 1000}s`);
  }
  return ms;
}

export const PRICE_TTL_HELP = `  --price-ttl DURATION
                        how old prices read from a cloud's pricing API (AWS Price List,
                        Google Cloud Billing Catalog) may get before the Strategy says
                        PricesStale, e.g. 30m, 12h (default 6h; from 1s to 168h). They are read
                        again in the background once half of it has passed; through an outage
                        the last ones read stay in use`;

const MAX_PRICE_TTL_MS = 7 * 24 * 3_600_000;

/** --price-ttl, already parsed as a duration; a UsageError outside 1s–7 days. */
export function priceTtlFlag(ms: number | undefined): number | undefined {
  if (ms !== undefined && (ms < 1_000 || ms > MAX_PRICE_TTL_MS)) throw new UsageError(`--price-ttl must be from 1s to 168h (7 days), got ${ms / 1000}s`);
  return ms;
}

/** An identity flag (--managed-by, --cluster-name): a lowercase name of up to 63 characters, or a UsageError. */
export function managedByFlag(name: string, text: string | undefined): string | undefined {
  if (text === undefined) return undefined;
  if (!IDENTITY.test(text)) {
    throw new UsageError(`--${name} must be 1-63 lowercase letters, digits, ".", "_" or "-", starting and ending with a letter or digit, got ${JSON.stringify(text)}`);
  }
  return text;
}
