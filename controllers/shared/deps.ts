import type { Clock } from '../../runtime/clock.js';
import type { EventRecorder } from '../../runtime/events/index.js';
import type { OfferingCatalog } from '../offerings/catalog.js';
import type { FleetObserver } from '../observer/fleet-observer.js';
import type { SecretReader } from '../../runtime/secrets/index.js';
import type { Store } from '../../runtime/store/index.js';
import type { OfferingBackoff } from './offering-backoff.js';
import type { ProviderResolver } from './provider-resolver.js';

/** What every polyfleet controller is built from; the same on a cluster and standalone. */
export interface ControllerDeps {
  readonly store: Store;
  readonly recorder: EventRecorder;
  readonly clock: Clock;
  readonly providers: ProviderResolver;
  /** Shared by the Machine controller (marks out) and the NodePool controller (places around). */
  readonly backoff: OfferingBackoff;
  /**
   * The managed-by tag of this installation's instances. Two installations sharing a cloud account
   * must differ here, or each would collect the other's instances as leaks.
   */
  readonly managedBy: string;
  /**
   * Provider catalogues cached for every controller of the process (createOfferingCatalog). Absent:
   * resolveOfferings keeps one per ControllerDeps object, which is the same as long as deps are built once.
   */
  readonly catalog?: OfferingCatalog;
  /**
   * The cluster's Secrets (cached, cachedSecretReader), for what a Machine reads when its instance
   * is created: its userDataSecretRef (controllers/machine/user-data.ts). Absent standalone, where
   * there are no Secrets.
   */
  readonly secrets?: SecretReader;
  /**
   * The installation's instances as listed per account and region, shared by every Machine and the
   * leak collector (one FleetObserver per process). Absent: one per provider resolver (observerOf).
   */
  readonly observer?: FleetObserver;
  /**
   * How old prices read from a pricing API may get before PricesStale says so (--price-ttl); the
   * providers were made with the same. Default DEFAULT_PRICE_TTL_MS.
   */
  readonly priceTtlMs?: number;
}
