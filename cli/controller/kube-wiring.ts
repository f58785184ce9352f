import { KubeConfig } from '@kubernetes/client-node';
import type { Logger } from '../../runtime/log.js';
import { KubeEventSink, KubeEventsClient } from '../../runtime/events/index.js';
import { defaultIdentity, KubeLeaseClient, LeaseElector, leaseTiming } from '../../runtime/leader/index.js';
import { KubeStore } from '../../runtime/store/kube/index.js';
import { buildDeps, registerControllers } from '../../controllers/setup.js';
import { clusterCredentials, type AllowedEndpoint } from '../../controllers/shared/index.js';
import { systemClock } from '../../runtime/clock.js';
import { createMetrics } from '../../runtime/metrics/index.js';
import { KubeSecretReader } from '../../runtime/secrets/index.js';
import { Manager } from '../../runtime/manager/index.js';

export const LEASE_NAME = 'polyfleet-controller';

export interface ClusterOptions {
  /** List and watch only these namespaces (Roles there suffice); undefined: every namespace. */
  readonly namespaces: readonly string[] | undefined;
  /** Where the Lease lives; undefined: no leader election (one replica). */
  readonly leaseNamespace: string | undefined;
  /** The Lease's duration in seconds (--leader-elect-lease-duration); undefined: 15. */
  readonly leaseSeconds?: number | undefined;
  /** The installation identity (clusterIdentity). */
  readonly managedBy: string;
  readonly leakGraceMs: number | undefined;
  /** How long a failed offering is first left out (--offering-backoff); undefined: 60 s. */
  readonly offeringBackoffMs?: number | undefined;
  /** How old pricing-API prices may get before they are stale (--price-ttl); undefined: 6 h. */
  readonly priceTtlMs?: number | undefined;
  readonly simDir: string | undefined;
  /** Hosts a provider account's endpoint may name (--allow-endpoint); others are refused. */
  readonly allowedEndpoints: readonly AllowedEndpoint[];
  readonly log: Logger;
}

/** In a pod: the service account's config, found by client-node's loadFromDefault. */
export function runningInCluster(env: NodeJS.ProcessEnv = process.env): boolean {
  return env.KUBERNETES_SERVICE_HOST !== undefined && env.KUBECONFIG === undefined;
}

/** --kubeconfig FILE, else $KUBECONFIG, ~/.kube/config or the in-cluster service account. */
export function loadKubeConfig(path: string | undefined): KubeConfig {
  const kubeConfig = new KubeConfig();
  if (path === undefined) kubeConfig.loadFromDefault();
  else kubeConfig.loadFromFile(path);
  return kubeConfig;
}

/** Every controller on the kube store, credentials from Secrets, events as events.k8s.io Events, and a Lease if asked for. */
export function buildClusterManager(options: ClusterOptions, kubeConfig: KubeConfig): { manager: Manager; store: KubeStore; controllers: string[] } {
  const { log } = options;
  const identity = defaultIdentity();
  const store = new KubeStore({ kubeConfig, logger: log.child({ component: 'store' }), ...(options.namespaces === undefined ? {} : { namespaces: options.namespaces }) });
  const elector =
    options.leaseNamespace === undefined
      ? undefined
      : new LeaseElector({ client: new KubeLeaseClient(kubeConfig, options.leaseNamespace, LEASE_NAME), logger: log.child({ component: 'leader' }), identity, ...leaseTiming(options.leaseSeconds) });
  const metrics = createMetrics();
  const manager = new Manager({
    store,
    log,
    metrics,
    // The store lists and watches only options.namespaces, so the manager needs no filter of its own.
    ...(elector === undefined ? {} : { elector }),
  });
  const secrets = new KubeSecretReader(kubeConfig);
  const deps = buildDeps({
    store,
    eventSink: new KubeEventSink({ client: new KubeEventsClient(kubeConfig), reportingInstance: identity }),
    log,
    metrics,
    // Needs RBAC `get` on secrets in the watched namespaces (one GET per Secret per 30 s, no list/watch).
    credentials: clusterCredentials({ secrets, clock: systemClock, allowedEndpoints: options.allowedEndpoints }),
    // The same Secrets (and the same type opt-in) for a NodePool's userDataSecretRef.
    secrets,
    ...(options.simDir === undefined ? {} : { simDir: options.simDir }),
    managedBy: options.managedBy,
    ...(options.offeringBackoffMs === undefined ? {} : { offeringBackoffMs: options.offeringBackoffMs }),
    ...(options.priceTtlMs === undefined ? {} : { priceTtlMs: options.priceTtlMs }),
  });
  const controllers = registerControllers(manager, deps, { metrics, ...(options.leakGraceMs === undefined ? {} : { leakGraceMs: options.leakGraceMs }) });
  return { manager, store, controllers };
}
