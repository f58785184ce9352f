import { systemClock, type Clock, type Timers } from '../runtime/clock.js';
import { DedupingRecorder, type EventSink } from '../runtime/events/index.js';
import type { Logger } from '../runtime/log.js';
import type { Metrics } from '../runtime/metrics/index.js';
import type { ControllerRegistration, Manager } from '../runtime/manager/index.js';
import { cachedSecretReader, type SecretReader } from '../runtime/secrets/index.js';
import type { Store } from '../runtime/store/index.js';
import type { ProviderOptions } from '../providers/index.js';
import { leakCollector, registerLeakMetrics } from './gc/index.js';
import { hostGroupController } from './hostgroup/index.js';
import { machineController, registerMachineMetrics } from './machine/index.js';
import { nodePoolController, registerPoolMetrics } from './nodepool/index.js';
import { FleetObserver } from './observer/index.js';
import { CATALOG_TTL_MS, createOfferingCatalog } from './offerings/index.js';
import { placementRuleController } from './placementrule/index.js';
import { createProviderResolver, noCredentials, OfferingBackoff, providerObserver, type ControllerDeps, type CredentialSource } from './shared/index.js';
import { storedPriceBook, strategyController } from './strategy/index.js';


export interface BuildDepsOptions {
  readonly store: Store;
  /** The state file's events standalone, the cluster's Events in cluster mode. */
  readonly eventSink: EventSink;
  readonly log: Logger;
  readonly clock?: Clock;
  /** The clock's timers (a test's fake clock fires them); default the system's. */
  readonly timers?: Timers;
  /** Where the sim provider keeps its instances; default $POLYFLEET_SIM_DIR, else .polyfleet/sim. */
  readonly simDir?: string;
  /**
   * The installation's identity, put on every instance as its managed-by tag: unique per
   * installation (the state file's, or the cluster's), so installations sharing a cloud account
   * never touch each other's instances.
   */
  readonly managedBy: string;
  /**
   * clusterCredentials in a cluster, standaloneCredentials standalone. Default: none, which is all
   * the sim needs.
   */
  readonly credentials?: CredentialSource;
  /**
   * The cluster's Secrets (a KubeSecretReader): a Machine's userDataSecretRef is read through them,
   * cached as credentials are. Absent standalone: a userDataSecretRef is then refused.
   */
  readonly secrets?: SecretReader;
  /** The manager's metrics: provider requests are counted there (polyfleet_provider_*). */
  readonly metrics?: Metrics;
  /** Retries, concurrency limit and the like of every provider (ProviderOptions); clock and simDir are set here. */
  readonly providerOptions?: Omit<ProviderOptions, 'clock' | 'simDir' | 'observer'>;
  /** How long a failed offering is first left out (OfferingBackoff's base; --offering-backoff); default 60 s. */
  readonly offeringBackoffMs?: number;
  /** How old pricing-API prices may get before they are stale (--price-ttl); default DEFAULT_PRICE_TTL_MS. */
  readonly priceTtlMs?: number;
}

/** Everything the controllers are built from, wired the same way on a cluster and standalone. */
export function buildDeps(options: BuildDepsOptions): ControllerDeps {
  const clock = options.clock ?? systemClock;
  return {
    store: options.store,
    recorder: new DedupingRecorder({ sink: options.eventSink, logger: options.log.child({ component: 'events' }), clock }),
    clock,
    providers: createProviderResolver(options.credentials ?? noCredentials, {
      ...options.providerOptions,
      ...(options.priceTtlMs === undefined ? {} : { priceTtlMs: options.priceTtlMs }),
      clock,
      ...(options.simDir === undefined ? {} : { simDir: options.simDir }),
      observer: providerObserver(options.log.child({ component: 'providers' }), options.metrics?.providers),
    }, (namespace, account) => storedPriceBook(options.store, namespace, account)),
    backoff: new OfferingBackoff(clock, options.offeringBackoffMs),
    managedBy: options.managedBy,
    // Offerings carry their prices: cached no longer than an eighth of the price TTL: prices read at half of it reach pick and status well before it.
    catalog: createOfferingCatalog(clock, options.priceTtlMs === undefined ? CATALOG_TTL_MS : Math.min(CATALOG_TTL_MS, Math.ceil(options.priceTtlMs / 8))),
    observer: new FleetObserver({ clock, managedBy: options.managedBy, log: options.log.child({ component: 'fleet-observer' }), ...(options.timers === undefined ? {} : { timers: options.timers }) }),
    ...(options.secrets === undefined ? {} : { secrets: cachedSecretReader({ secrets: options.secrets, clock }) }),
    ...(options.priceTtlMs === undefined ? {} : { priceTtlMs: options.priceTtlMs }),
  };
}

export interface ControllerOptions {
  /** How long an unclaimed instance must be seen so before the leak collector deletes it (--leak-grace). */
  readonly leakGraceMs?: number;
  /** Where the leak collector's and the per-pool metrics go (the manager's registry). */
  readonly metrics?: Metrics;
  /** The Machine controller's reconciles at once (so creates in flight, each account's maxInFlight permitting); default 50. */
  readonly machineConcurrency?: number;
}

type ControllerFactory = (deps: ControllerDeps, options: ControllerOptions) => ControllerRegistration;

/**
 * Every polyfleet controller, in the order they are registered. A controller joins this list when
 * its folder lands; there are no placeholders.
 */
const CONTROLLERS: readonly ControllerFactory[] = [
  (deps) => strategyController(deps),
  (deps) => placementRuleController(deps),
  (deps, options) => nodePoolController(deps, options.metrics === undefined ? {} : { metrics: registerPoolMetrics(options.metrics.registry) }),
  (deps, options) =>
    machineController(deps, {
      ...(options.machineConcurrency === undefined ? {} : { maxConcurrentReconciles: options.machineConcurrency }),
      ...(options.metrics === undefined ? {} : { metrics: registerMachineMetrics(options.metrics.registry) }),
    }),
  (deps, options) =>
    leakCollector(deps, {
      ...(options.leakGraceMs === undefined ? {} : { graceMs: options.leakGraceMs }),
      ...(options.metrics === undefined ? {} : { metrics: registerLeakMetrics(options.metrics.registry) }),
    }),
  (deps) => hostGroupController(deps),
];

/** Registers every controller on `manager`; returns their names. */
export function registerControllers(manager: Pick<Manager, 'register'>, deps: ControllerDeps, options: ControllerOptions = {}): string[] {
  return CONTROLLERS.map((factory) => {
    const registration = factory(deps, options);
    manager.register(registration);
    return registration.name;
  });
}
