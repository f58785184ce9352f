import type { Instance, Provider } from '../../providers/index.js';
import { systemTimers, type Clock, type Timers } from '../../runtime/clock.js';
import type { Logger } from '../../runtime/log.js';
import type { ControllerSource } from '../../runtime/manager/index.js';
import type { ObjectKey } from '../../runtime/store/index.js';
import { ownManagedByTags } from '../shared/installation.js';
import { ChangeFeed } from './change-feed.js';
import { DescribeBatch } from './describe-batch.js';
import { RegionListing, type ListingRead } from './region-listing.js';

/** The key of an account-wide listing, for an account that names no regions. */
const EVERY_REGION = '\u0000every-region';

/**
 * How often an account-region whose Machines all run is listed while changes are pushed: a
 * vanished, stopped or failed instance reaches its Machine within this.
 */
export const DEFAULT_LISTING_PERIOD_MS = 30_000;

export interface FleetObserverOptions {
  readonly clock: Clock;
  /** The installation's identity; its instances are listed under it and the pre-identity default. */
  readonly managedBy: string;
  /** Default: the system's. */
  readonly timers?: Timers;
  readonly periodMs?: number;
  readonly log?: Logger;
}

/**
 * One RegionListing per (provider account, region) for this installation: how the Machine
 * controller and the leak collector see the cloud. Listing an installation's instances costs one
 * call per page however many Machines read the answer, where asking for each instance by id cost
 * one call per Machine per look. Keyed by the Provider object, which the resolver hands out once
 * per account and rebuilds when the account or its credentials change (a new Provider starts a new
 * listing; the old one goes with it). Single instances a Provisioning Machine needs a fresher
 * look at than a listing are asked for in batches (`lookup`). Its `source` pushes changes to the Machine controller
 * (ChangeFeed), so Running Machines need not look for themselves.
 */
export class FleetObserver {
  readonly periodMs: number;
  private readonly byProvider = new WeakMap<Provider, Map<string, RegionListing>>();
  private readonly batches = new WeakMap<Provider, Map<string, DescribeBatch>>();
  private readonly managedByTags: readonly string[];
  private readonly feed: ChangeFeed;

  constructor(private readonly options: FleetObserverOptions) {
    this.managedByTags = ownManagedByTags(options.managedBy);
    this.periodMs = options.periodMs ?? DEFAULT_LISTING_PERIOD_MS;
    this.feed = new ChangeFeed({ clock: options.clock, timers: options.timers ?? systemTimers, periodMs: this.periodMs, ...(options.log === undefined ? {} : { log: options.log }) });
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
      const created: RegionListing = new RegionListing(this.options.clock, this.managedByTags, region, (previous, next) => {
        this.feed.listed(created, previous, next);
      });
      listing = created;
      regions.set(key, listing);
    }
    return listing;
  }

  /** A listing of `region` started no earlier than `notBeforeMs`; see RegionListing.read. */
  read(provider: Provider, region: string | undefined, notBeforeMs: number): Promise<ListingRead> {
    return this.listing(provider, region).read(provider, notBeforeMs);
  }

  /** `instanceId` in `region` as the account's batched describe shows it (DescribeBatch). */
  lookup(provider: Provider, region: string, instanceId: string): Promise<Instance | undefined> {
    let batches = this.batches.get(provider);
    if (batches === undefined) {
      batches = new Map();
      this.batches.set(provider, batches);
    }
    let batch = batches.get(region);
    if (batch === undefined) {
      batch = new DescribeBatch(provider, region);
      batches.set(region, batch);
    }
    return batch.lookup(instanceId);
  }

  /** Machine `uid` (object `key`) is told (enqueued) when its instance in `region` changes or vanishes. */
  track(provider: Provider, region: string, uid: string, key: ObjectKey): void {
    this.feed.track(this.listing(provider, region), provider, uid, key);
  }

  /** Machine `uid` needs no more news (failed, or being deleted). */
  forget(uid: string): void {
    this.feed.forget(uid);
  }

  /** Whether changes are pushed now; if not, a tracked Machine must look again each period itself. */
  pushing(): boolean {
    return this.feed.running();
  }

  /** For the Machine controller's registration: pushes changes while the controller reconciles. */
  source(): ControllerSource {
    return { start: (enqueue) => this.feed.start(enqueue) };
  }
}
