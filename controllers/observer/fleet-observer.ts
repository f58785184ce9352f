import type { Provider } from '../../providers/index.js';
import type { Clock } from '../../runtime/clock.js';
import { ownManagedByTags } from '../shared/installation.js';
import { RegionListing, type ListingRead } from './region-listing.js';

/** The key of an account-wide listing, for an account that names no regions. */
const EVERY_REGION = '\u0000every-region';

/**
 * One RegionListing per (provider account, region) for this installation: how the Machine
 * controller and the leak collector see the cloud. Listing an installation's instances costs one
 * call per page however many Machines read the answer, where asking for each instance by id cost
 * one call per Machine per look. Keyed by the Provider object, which the resolver hands out once
 * per account and rebuilds when the account or its credentials change (a new Provider starts a new
 * listing; the old one goes with it).
 */
export class FleetObserver {
  private readonly byProvider = new WeakMap<Provider, Map<string, RegionListing>>();
  private readonly managedByTags: readonly string[];

  constructor(
    private readonly clock: Clock,
    managedBy: string,
  ) {
    this.managedByTags = ownManagedByTags(managedBy);
  }

  /** The listing of `region` of the account, or of all its regions when `region` is undefined. */
  listing(provider: Provider, region: string | undefined): RegionListing {
    let regions = this.byProvider.get(provider);
    if (regions === undefined) {
      regions = new Map();
      this.byProvider.set(provider, regions);
    }
    const key = region ?? EVERY_REGION;
    let listing = regions.get(key);
    if (listing === undefined) {
      listing = new RegionListing(this.clock, this.managedByTags, region);
      regions.set(key, listing);
    }
    return listing;
  }

  /** A listing of `region` started no earlier than `notBeforeMs`; see RegionListing.read. */
  read(provider: Provider, region: string | undefined, notBeforeMs: number): Promise<ListingRead> {
    return this.listing(provider, region).read(provider, notBeforeMs);
  }
}
