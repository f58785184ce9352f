import { isProviderError, type Provider } from '../../providers/index.js';
import type { Clock } from '../../runtime/clock.js';
import { instanceListing, type InstanceListing } from './instance-listing.js';

/** What a reader gets: a listing fresh enough for it, or how long to wait because the cloud throttles us. */
export type ListingRead = { readonly kind: 'listed'; readonly listing: InstanceListing } | { readonly kind: 'wait'; readonly ms: number };

/** The first wait after a throttled listing when the cloud names none; it doubles while throttling lasts. */
export const THROTTLE_BASE_WAIT_MS = 5_000;
/** The longest a throttled listing waits before it is tried again. */
export const THROTTLE_MAX_WAIT_MS = 5 * 60_000;
/**
 * A fallback managed-by tag (the pre-identity default) whose last answer was empty is asked again
 * only on every this-many listings: this installation never creates instances under it, so one
 * that had none keeps none, and listing it each time doubled an idle fleet's calls. While it has
 * instances it is listed every time, so none of them can seem to vanish.
 */
export const EMPTY_FALLBACK_RELIST_EVERY = 10;

interface Flight {
  readonly startedAtMs: number;
  readonly promise: Promise<ListingRead>;
}

/**
 * The installation's instances in one account and one region (or every region of the account),
 * listed for every Machine and the leak collector at once. A reader says how recent a listing it
 * needs; the last one is handed out while it is recent enough, and readers arriving while a
 * listing is under way share that one call instead of each making their own. A throttled listing
 * stops all listing here until the cloud's Retry-After (or a doubling back-off) has passed; a
 * failed one rejects every reader sharing it and is never remembered: it proves nothing.
 */
export class RegionListing {
  private last: InstanceListing | undefined;
  private flight: Flight | undefined;
  private throttledUntilMs = 0;
  private throttles = 0;
  /** Per fallback tag (index ≥ 1 of managedByTags): listings since it last answered empty, that one counted as 1; absent: it had instances, or was never asked. */
  private readonly emptyFallbackListings = new Map<string, number>();

  constructor(
    private readonly clock: Clock,
    /** The installation's managed-by tags: its own and the pre-identity default, so an upgrade keeps seeing its fleet. */
    private readonly managedByTags: readonly string[],
    /** Absent: every region of the account in one listing. */
    private readonly region: string | undefined,
    /** Told of every successful listing with the one before it, whoever asked for it. */
    private readonly onListed: (previous: InstanceListing | undefined, next: InstanceListing) => void = () => {},
  ) {}

  /** The last successful listing, however old; undefined before the first. */
  latest(): InstanceListing | undefined {
    return this.last;
  }

  /**
   * A listing started no earlier than `notBeforeMs` (epoch ms; capped at now, so a cloud clock
   * ahead of ours cannot make a reader list forever). Rejects with the listing's error when it
   * failed other than by throttling.
   */
  async read(provider: Provider, notBeforeMs: number): Promise<ListingRead> {
    const nowMs = this.clock.now().getTime();
    const needMs = Math.min(notBeforeMs, nowMs);
    if (this.last !== undefined && this.last.startedAt.getTime() >= needMs) return { kind: 'listed', listing: this.last };
    const flight = this.flight;
    if (flight !== undefined) {
      if (flight.startedAtMs >= needMs) return flight.promise;
      // Under way but begun too early for this reader (its instance is newer): the next one will do.
      await flight.promise.catch(() => undefined);
      return this.read(provider, notBeforeMs);
    }
    if (nowMs < this.throttledUntilMs) return { kind: 'wait', ms: this.throttledUntilMs - nowMs };
    return this.start(provider, nowMs);
  }

  private start(provider: Provider, startedAtMs: number): Promise<ListingRead> {
    const promise = this.list(provider, new Date(startedAtMs)).finally(() => {
      if (this.flight?.promise === promise) this.flight = undefined;
    });
    this.flight = { startedAtMs, promise };
    return promise;
  }

  private async list(provider: Provider, startedAt: Date): Promise<ListingRead> {
    try {
      const found = [];
      const fallbackAnswers = new Map<string, number>();
      for (const [i, managedBy] of this.managedByTags.entries()) {
        const skipped = i > 0 ? this.emptyFallbackListings.get(managedBy) : undefined;
        if (skipped !== undefined && skipped % EMPTY_FALLBACK_RELIST_EVERY !== 0) {
          fallbackAnswers.set(managedBy, skipped + 1);
          continue;
        }
        const answer = await provider.list({ managedBy, ...(this.region === undefined ? {} : { region: this.region }) });
        found.push(...answer);
        if (i > 0) fallbackAnswers.set(managedBy, answer.length === 0 ? 1 : 0);
      }
      // Only a listing that succeeded as a whole moves the counts: a failed one proves nothing.
      for (const [tag, count] of fallbackAnswers) {
        if (count === 0) this.emptyFallbackListings.delete(tag);
        else this.emptyFallbackListings.set(tag, count);
      }
      const listing = instanceListing(startedAt, found);
      const previous = this.last;
      this.last = listing;
      this.throttles = 0;
      this.onListed(previous, listing);
      return { kind: 'listed', listing };
    } catch (err) {
      if (!isProviderError(err) || err.kind !== 'throttled') throw err;
      this.throttles += 1;
      const backoffMs = Math.min(THROTTLE_MAX_WAIT_MS, THROTTLE_BASE_WAIT_MS * 2 ** (this.throttles - 1));
      const ms = Math.max(err.retryAfterMs ?? 0, backoffMs);
      this.throttledUntilMs = this.clock.now().getTime() + ms;
      return { kind: 'wait', ms };
    }
  }
}
