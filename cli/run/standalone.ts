import { dirname } from 'node:path';
import { buildDeps, registerControllers } from '../../controllers/setup.js';
import { standaloneCredentials, type CredentialSource } from '../../controllers/shared/index.js';
import { createMetrics } from '../../runtime/metrics/index.js';
import type { Logger } from '../../runtime/log.js';
import type { ProbeServer } from '../../runtime/http/index.js';
import { Manager, type StopReason } from '../../runtime/manager/index.js';
import type { LeaderElector } from '../../runtime/manager/index.js';
import { acquireOwnership, OwnedByError, OwnershipElector } from '../../runtime/store/file/index.js';
import { openStandaloneStore, withStore, type StandaloneStore, type StoreLocation } from '../shared/state.js';
import { CommandFailure } from '../shared/command-runner.js';
import { registerRegistry } from '../shared/registry-flags.js';
import type { RegistryOptions } from '../../inventory/registry/registry-writer.js';
import type { InventoryServerOptions } from '../shared/inventory-flags.js';
import type { InventoryServer } from '../shared/inventory-server.js';

export interface StandaloneOptions {
  readonly location: StoreLocation;
  readonly log: Logger;
  /** 0: a free port; undefined: no probe server. */
  readonly port?: number;
  readonly simDir?: string;
  /** The installation identity; default the one the state file keeps (made with the file). */
  readonly managedBy?: string;
  /** How long an unclaimed instance is seen so before the leak collector deletes it (default 10 min). */
  readonly leakGraceMs?: number;
  /** How long a failed offering is first left out (default 60 s). */
  readonly offeringBackoffMs?: number;
  /** How old pricing-API prices may get before they are stale (default 6 h). */
  readonly priceTtlMs?: number;
  /** Default: the Strategy's credentials: references, ${env.VAR} and ${file:PATH} (relative to the working directory). */
  readonly credentials?: CredentialSource;
  /** On etcd: the leader lease (default 15 s). */
  readonly leaderLeaseSeconds?: number;
  /** Publish every host in this etcd node registry (and DNS records) while this process leads. */
  readonly registry?: RegistryOptions;
  /** Serve the inventory REST API and the web view too (polyfleet run). */
  readonly inventory?: InventoryServerOptions;
  /** Where HostGroup varsFrom and secrets find ConfigMaps and Secrets as files (--sources-dir); default beside a state file, none for etcd. */
  readonly sourcesDir?: string;
  /** Runs on the opened store before any controller starts, e.g. to apply manifests. */
  readonly beforeStart?: (store: StandaloneStore) => Promise<void>;
}

/** Every controller running on a state file this process owns. */
export interface Standalone {
  readonly store: StandaloneStore;
  readonly manager: Manager;
  readonly controllers: readonly string[];
  /** Where /metrics, /healthz and /readyz are served, if they are. */
  readonly probesUrl: string | undefined;
  /** Where the web view is served (on the inventory server, with its authentication), if it is. */
  readonly webUrl: string | undefined;
  /** Where the inventory REST API is served, if it is. */
  readonly inventoryUrl: string | undefined;
  /** The managed-by tag of this installation's instances. */
  readonly identity: string;
  /** Stops the manager (graceful), gives the state file up and closes it. */
  stop(): Promise<StopReason>;
}

/**
 * Throws OwnedByError if another live process owns the state file (a `polyfleet run`). Only a
 * check: the elector claims the file for real, and waits if another process got in between.
 * Several `polyfleet run` on one etcd store are fine: they elect a leader.
 */
export function checkNotOwned(location: StoreLocation): void {
  if (location.kind === 'file') acquireOwnership(location.path).release();
}

/**
 * True if another live process (a `polyfleet run`) owns the state file or leads on the etcd store:
 * a one-shot command then leaves the work to it.
 */
export async function ownedElsewhere(location: StoreLocation): Promise<boolean> {
  if (location.kind === 'etcd') {
    // Loaded only for an etcd store: the etcd client is not a cost of every standalone command.
    const { EtcdStore } = await import('../../runtime/store/etcd/etcd-store.js');
    return withStore(location, true, async (store) => store instanceof EtcdStore && (await store.leader()) !== undefined);
  }
  try {
    checkNotOwned(location);
    return false;
  } catch (e) {
    if (e instanceof OwnedByError) return true;
    throw e;
  }
}

/**
 * For one-shot commands (create, delete --wait) when no `polyfleet run` owns the state: every
 * controller runs in this process for as long as `use` takes, then stops gracefully.
 */
export async function withControllers<T>(options: StandaloneOptions, use: (store: StandaloneStore) => Promise<T>): Promise<T> {
  const standalone = await startStandalone(options);
  try {
    return await use(standalone.store);
  } finally {
    await standalone.stop();
  }
}

/** Opens the state file and starts every controller on it, leading while this process owns the file. */
export async function startStandalone(options: StandaloneOptions): Promise<Standalone> {
  const { log, location } = options;
  const store = await openStandaloneStore(location, false, log.child({ component: 'store' }));
  let closeRegistry: (() => void) | undefined;
  try {
    const metrics = createMetrics();
    const deps = buildDeps({
      store,
      eventSink: store.eventSink(),
      log,
      metrics,
      credentials: options.credentials ?? standaloneCredentials(),
      ...(options.simDir === undefined ? {} : { simDir: options.simDir }),
      managedBy: options.managedBy ?? store.installationId,
      ...(options.offeringBackoffMs === undefined ? {} : { offeringBackoffMs: options.offeringBackoffMs }),
      ...(options.priceTtlMs === undefined ? {} : { priceTtlMs: options.priceTtlMs }),
    });
    const manager = new Manager({ store, log, metrics, elector: await electorFor(location, store, log, options.leaderLeaseSeconds) });
    const controllers = registerControllers(manager, deps, { metrics, ...(options.leakGraceMs === undefined ? {} : { leakGraceMs: options.leakGraceMs }) });
    if (options.registry !== undefined) {
      closeRegistry = await registerRegistry(manager, store, options.registry, log);
      controllers.push('registry');
    }
    await options.beforeStart?.(store);
    const probes = options.port === undefined ? undefined : await listen(manager, options.port);
    const inventory = options.inventory === undefined ? undefined : await serveInventory(store, options.inventory, options.sourcesDir ?? (location.kind === 'file' ? dirname(location.path) : undefined), log).catch(async (e: unknown) => {
      await manager.stop();
      throw e;
    });
    try {
      await manager.start();
    } catch (e) {
      await inventory?.close();
      throw e;
    }
    return {
      store,
      manager,
      controllers,
      probesUrl: probes?.url,
      webUrl: inventory?.webUrl,
      inventoryUrl: inventory?.url,
      identity: deps.managedBy,
      async stop() {
        await inventory?.close();
        await manager.stop();
        const reason = await manager.done;
        closeRegistry?.();
        await store.close();
        return reason;
      },
    };
  } catch (e) {
    closeRegistry?.();
    await store.close();
    throw e;
  }
}

/** Who leads: the owner of the state file, or the holder of the etcd leader key. */
async function electorFor(location: StoreLocation, store: StandaloneStore, log: Logger, leaseSeconds: number | undefined): Promise<LeaderElector> {
  if (location.kind === 'etcd') {
    // Loaded only for an etcd store: the etcd client is not a cost of every standalone command.
    const { EtcdStore } = await import('../../runtime/store/etcd/etcd-store.js');
    if (store instanceof EtcdStore) return store.elector(log, leaseSeconds);
    throw new Error('an etcd location opened a store that is not etcd');
  }
  return new OwnershipElector({ statePath: location.path, logger: log });
}

/**
 * Loaded only when served: a one-shot command (create, delete) needs none of the inventory or the
 * web view. ConfigMaps and Secrets are files in `sourcesDir` (inventory/file-sources.ts; by default
 * beside a state file, see sources-dir-flag.ts); without one, none.
 */
async function serveInventory(store: StandaloneStore, options: InventoryServerOptions, sourcesDir: string | undefined, log: Logger): Promise<InventoryServer> {
  const [{ startInventoryServer }, { fileVarsReader }] = await Promise.all([import('../shared/inventory-server.js'), import('../../inventory/file-sources.js')]);
  const sources = options.sources ?? (sourcesDir === undefined ? undefined : fileVarsReader(sourcesDir));
  return startInventoryServer(store, { ...options, ...(sources === undefined ? {} : { sources }) }, log, store.eventSink());
}

async function listen(manager: Manager, port: number): Promise<ProbeServer> {
  try {
    return await manager.listen({ port });
  } catch (e) {
    // The probe server's message already names the address and the cause.
    throw new CommandFailure(`${(e as Error).message}; pass --port N (0 picks a free port)`);
  }
}
