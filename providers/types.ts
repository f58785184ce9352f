import type { ARCHES, CapacityType, CONTINENTS, MachineStatus, PRICE_SOURCES } from '../api/index.js';

/** Tag keys on every instance polyfleet creates: how leaks are found and an interrupted create is recognised. */
export const TAG_MANAGED_BY = 'polyfleet.io/managed-by';
export const TAG_POOL = 'polyfleet.io/pool';
export const TAG_NAMESPACE = 'polyfleet.io/namespace';
/** The Machine's UID. */
export const TAG_MACHINE = 'polyfleet.io/machine';
/** The create attempt, so a tag lookup can tell a retry of this attempt from an older one's instance. */
export const TAG_ATTEMPT = 'polyfleet.io/attempt';

/** The tag keys a provider sets itself; a request's own tags never override them. */
export const OWN_TAG_KEYS = [TAG_MANAGED_BY, TAG_POOL, TAG_NAMESPACE, TAG_MACHINE, TAG_ATTEMPT] as const;

export type Arch = (typeof ARCHES)[number];
export type Continent = (typeof CONTINENTS)[number];
/** Where an offering's price came from: the cloud's pricing API, the table polyfleet ships, or the Strategy's own `prices`. */
export type PriceSource = (typeof PRICE_SOURCES)[number];
export type InstanceAddress = NonNullable<MachineStatus['addresses']>[number];

/** The calls of a Provider, for fault injection and error messages. */
export const PROVIDER_OPS = ['regions', 'offerings', 'image', 'create', 'get', 'describe', 'list', 'delete'] as const;
export type ProviderOp = (typeof PROVIDER_OPS)[number];

/** Time, injected; structurally the same as runtime's Clock, which providers/ may not import. */
export interface Clock {
  now(): Date;
}

export interface RegionInfo {
  readonly name: string;
  readonly zones: readonly string[];
  /** Continent code, for the Strategy's geolocation.continents. */
  readonly continent: Continent;
  /** ISO 3166-1 alpha-2 country code, for geolocation.countries. */
  readonly country: string;
}

/** One instance type of a region, with the zones where it can be created. */
export interface ProviderOffering {
  readonly instanceType: string;
  readonly cpu: number;
  readonly memoryGiB: number;
  readonly gpu: { readonly count: number; readonly model?: string };
  readonly arch: Arch;
  readonly diskGiB: number;
  /** US dollars per hour as a decimal string (api's money format), so no float rounds a budget. */
  readonly hourlyPrice: string;
  /** Where hourlyPrice came from; absent for a cloud whose adapter does not say. */
  readonly priceSource?: PriceSource;
  /** RFC 3339: when the price was read from the API (or the day the table was made); absent for an override. */
  readonly pricedAt?: string;
  /** Never empty: a type offered nowhere is not an offering. */
  readonly zones: readonly string[];
  /**
   * spot: the type bought as spot/preemptible capacity, at hourlyPrice (its spot price), in `zones`;
   * absent: on demand. An adapter lists a type's spot offering beside its on-demand one, never instead.
   */
  readonly capacityType?: CapacityType;
}

export interface CreateRequest {
  /** Together with `attempt`, the idempotency key of the create. */
  readonly machineUid: string;
  /**
   * Starts at 1; the controller bumps it to replace an instance of the same Machine (failed, or its
   * offering errored), because a retried key returns the old instance, even a terminated one.
   */
  readonly attempt: number;
  /** Who manages the instance (the controller's identity); becomes the managed-by tag `list` filters on. */
  readonly managedBy: string;
  readonly pool: string;
  readonly namespace: string;
  readonly region: string;
  readonly zone: string;
  readonly instanceType: string;
  /** An image id, as `image()` resolved it. */
  readonly image: string;
  readonly userData?: string;
  /** Extra tags; the provider's own tag keys (OWN_TAG_KEYS) always win over these. */
  readonly tags?: Readonly<Record<string, string>>;
  /**
   * spot: buy it as spot/preemptible capacity, terminated (never stopped) when the cloud reclaims it;
   * an adapter without spot rejects it with InvalidRequestError. Absent: on demand.
   */
  readonly capacityType?: CapacityType;
}

/**
 * What the cloud says of an instance. `stopping` and `stopped` exist and still bill (disks, reserved
 * addresses) though they serve nothing: a stopped instance is not a gone one and must be deleted.
 * `terminating` is on its way out after a delete (EC2 shutting-down); `terminated` is gone.
 */
export type InstanceState = 'pending' | 'running' | 'stopping' | 'stopped' | 'terminating' | 'terminated' | 'failed';

/** States of an instance that exists and is not on its way out: it must be deleted to stop billing. */
export const UNDELETED_STATES: readonly InstanceState[] = ['pending', 'running', 'stopping', 'stopped', 'failed'];

export interface Instance {
  readonly id: string;
  /** The provider account the instance lives in. */
  readonly account: string;
  readonly region: string;
  readonly zone: string;
  readonly instanceType: string;
  readonly state: InstanceState;
  /** Why the instance is failed or terminated, when the provider says. */
  readonly stateReason?: string;
  readonly addresses: readonly InstanceAddress[];
  readonly tags: Readonly<Record<string, string>>;
  /** RFC 3339, when the provider accepted the create. */
  readonly createdAt: string;
  readonly hourlyPrice: string;
  /** spot when the cloud says the instance is spot/preemptible capacity; absent: on demand. */
  readonly capacityType?: CapacityType;
  /**
   * True when the cloud reclaimed the spot instance (EC2's state reason Server.SpotInstanceTermination,
   * a preempted Compute Engine instance, the sim's reclaim): an interruption, not a fault of the offering.
   */
  readonly reclaimed?: boolean;
}

export interface InstanceFilter {
  /** The installation's identity (the managed-by tag): another installation's instances are never listed. */
  readonly managedBy: string;
  readonly pool?: string;
  /** A pool name is unique only within its namespace. */
  readonly namespace?: string;
  /** Only the instances of this Machine (the machine tag), of any attempt. */
  readonly machineUid?: string;
  /**
   * Only this region, which need not be one the account is configured for now: an instance outlives
   * a region removed from its Strategy. Absent: every region of the account. A region that cannot be
   * listed rejects the call; it never answers with what it could read.
   */
  readonly region?: string;
}

/**
 * One provider account of one cloud. Everything above providers/ talks to clouds through this;
 * no SDK shape leaks out. Every method may reject with a ProviderError (providers/errors.ts) and
 * with nothing else the caller could act on; adapters classify their SDK's errors.
 */
export interface Provider {
  /** The cloud: aws, gcp, digitalocean, sim. */
  readonly type: string;
  /** The Strategy's name for this account; errors and instances carry it. */
  readonly account: string;

  /** Every region the account can use, with zones and location. Never empty. */
  regions(): Promise<RegionInfo[]>;

  /**
   * Instance types offered in `region`, each with the zones that offer it and its price for this
   * account. An unknown region rejects with InvalidRequestError.
   */
  offerings(region: string): Promise<ProviderOffering[]>;

  /** The image id for `os` (Strategy.spec.software.os) in `region`, or undefined if the cloud has none. */
  image(region: string, os: string): Promise<string | undefined>;

  /**
   * Creates one instance tagged with OWN_TAG_KEYS. Idempotent on (machineUid, attempt), also across
   * processes and crashes: a retry with the same pair returns the instance the first call made, in
   * whatever state it is now, never a second one; a new attempt makes a new instance. Reusing a pair
   * with a different region, zone, type or image rejects with InvalidRequestError.
   * The instance returned is usually `pending`; it becomes `running` later (poll with `get`).
   */
  create(req: CreateRequest): Promise<Instance>;

  /**
   * The instance, or undefined if the account has no such instance (never created, forgotten, or not
   * visible yet: some clouds are eventually consistent for seconds after a create, so undefined is
   * not proof of absence on its own). `region`, the one the instance was created in, is asked
   * alone when given, even if the account is no longer configured for it.
   */
  get(instanceId: string, region?: string): Promise<Instance | undefined>;

  /**
   * The instances among `ids` in `region`, as `get` shows each (any state the cloud still shows,
   * terminated included where it keeps them), in as few calls as the cloud allows and over every
   * page: how many instances are looked at once costs calls per batch, not per instance. An id the
   * region has no instance of is left out, never an error; as with `get`, that is not proof of
   * absence on its own. `region` is asked even if the account is no longer configured for it.
   */
  describe(region: string, ids: readonly string[]): Promise<Instance[]>;

  /**
   * Every instance of this account carrying managed-by (and pool, namespace, machine when given)
   * tags, in any state but terminated (stopped ones included), in `filter.region` or else across
   * all the account's regions, over every page of the cloud's listing.
   */
  list(filter: InstanceFilter): Promise<Instance[]>;

  /**
   * Starts terminating the instance, stopped or running. Idempotent: deleting a missing, terminating
   * or terminated instance is success. `region` as for `get`.
   */
  delete(instanceId: string, region?: string): Promise<void>;
}
