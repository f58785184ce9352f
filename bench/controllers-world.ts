// One in-process polyfleet for the controller bench: a file store and a sim dir in a temp dir, every
// controller registered on a Manager (controllers/setup.ts), providers timed by controllers-provider.ts.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { pino } from 'pino';
import { API_VERSION, describeIssues, parseKind, type Kind, type ResourceOf } from '../api/index.js';
import { buildDeps, registerControllers } from '../controllers/setup.js';
import type { EventSink } from '../runtime/events/index.js';
import { Manager, type ControllerRegistration } from '../runtime/manager/index.js';
import { createMetrics, instrumentStore, type Metrics } from '../runtime/metrics/index.js';
import { openFileStore, type FileStore } from '../runtime/store/file/index.js';
import { listReadOnly } from '../runtime/store/index.js';
import { benchSimResolver, type CreateObserver } from './controllers-provider.js';

export const NS = 'default';
export const STRATEGY = 'bench-sim';

export interface WorldOptions {
  readonly createCallMs: number;
  readonly readyMs: number;
  readonly observer: CreateObserver;
  /** An existing directory holding state.jsonl and sim/; default a fresh temp dir, removed on close. */
  readonly dir?: string;
  /** The Machine controller's reconciles at once; default the product's. */
  readonly machineConcurrency?: number;
  /** Provider calls in flight per account; default the product's. */
  readonly maxInFlight?: number;
  /**
   * Create the spread Strategies (one per sim account-region, spreadStrategyFor) instead of the one
   * `first` Strategy: a Strategy no pool uses still has its accounts listed by the leak collector.
   */
  readonly spread?: boolean;
}

export interface World {
  readonly dir: string;
  /** The store itself, uncounted: what the bench reads does not count as the controllers' requests. */
  readonly store: FileStore;
  readonly manager: Manager;
  /** The Manager's registry: polyfleet_provider_requests_total, polyfleet_store_requests_total, controller_runtime_*. */
  readonly metrics: Metrics;
  /** When startWorld began (performance.now()), before the store was opened. */
  readonly openedAtMs: number;
  /** When the Manager was asked to start. */
  readonly startedAtMs: number;
  /** When the first reconcile of any controller began; undefined before. */
  firstReconcileAtMs(): number | undefined;
  /** Events the recorder wrote to the state file (writes the store metrics do not count). */
  eventWrites(): number;
  close(): Promise<void>;
}

/** Starts every controller over a file store; the Strategies the bench's pools use are created first. */
export async function startWorld(options: WorldOptions): Promise<World> {
  const openedAtMs = performance.now();
  const dir = options.dir ?? mkdtempSync(join(tmpdir(), 'polyfleet-bench-controllers-'));
  const log = pino({ level: 'warn' });
  const store = await openFileStore({ path: join(dir, 'state.jsonl'), logger: log.child({ component: 'store' }) });
  const metrics = createMetrics();
  // The controllers' store, counted as a process's store is; the bench's own reads go to `store`.
  const counted = instrumentStore(store, 'file', metrics.store);
  let eventWrites = 0;
  const sink = store.eventSink();
  const eventSink: EventSink = {
    write: (...args) => {
      eventWrites++;
      return sink.write(...args);
    },
    list: (...args) => sink.list(...args),
  };
  const deps = {
    ...buildDeps({ store: counted, eventSink, log, simDir: join(dir, 'sim'), managedBy: 'pf-bench', metrics }),
    providers: benchSimResolver({
      simDir: join(dir, 'sim'),
      createCallMs: options.createCallMs,
      readyMs: options.readyMs,
      observer: options.observer,
      requests: metrics.providers,
      ...(options.maxInFlight === undefined ? {} : { maxInFlight: options.maxInFlight }),
    }),
  };
  const manager = new Manager({ store: counted, log, metrics });
  let firstReconcileAtMs: number | undefined;
  const timed = {
    register(registration: ControllerRegistration): void {
      manager.register({
        ...registration,
        reconcile: (ctx, key) => {
          firstReconcileAtMs ??= performance.now();
          return registration.reconcile(ctx, key);
        },
      });
    },
  };
  registerControllers(timed, deps, { metrics, ...(options.machineConcurrency === undefined ? {} : { machineConcurrency: options.machineConcurrency }) });
  for (const strategy of options.spread === true ? spreadStrategies() : [benchStrategy()]) {
    if ((await store.get('Strategy', { namespace: NS, name: strategy.metadata.name })) === undefined) await store.create(strategy);
  }
  const startedAtMs = performance.now();
  await manager.start();
  return {
    dir,
    store,
    manager,
    metrics,
    openedAtMs,
    startedAtMs,
    firstReconcileAtMs: () => firstReconcileAtMs,
    eventWrites: () => eventWrites,
    async close() {
      await manager.stop();
      await manager.done;
      await store.close();
      if (options.dir === undefined) rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** One sim account, `first` pick, no PlacementRule: every slot goes to the single best offering. */
export function benchStrategy(): ResourceOf<'Strategy'> & { kind: 'Strategy' } {
  return parsed('Strategy', STRATEGY, { pick: 'first', providers: [{ name: 'sim-a', type: 'sim' }], hardware: {}, software: { os: 'ubuntu-24.04' } });
}

/** The sim accounts and regions the steady-state bench spreads its pools over: 3 × 2 account-regions. */
export const SPREAD_ACCOUNTS = ['sim-a', 'sim-b', 'sim-c'] as const;
export const SPREAD_REGIONS = ['na-east', 'eu-central'] as const;

/** One Strategy per account-region (the account as every Strategy spells it; the region by geolocation). */
export function spreadStrategies(): (ResourceOf<'Strategy'> & { kind: 'Strategy' })[] {
  return SPREAD_ACCOUNTS.flatMap((account) =>
    SPREAD_REGIONS.map((region) =>
      parsed('Strategy', spreadStrategyName(account, region), {
        pick: 'first',
        providers: [{ name: account, type: 'sim', regions: [...SPREAD_REGIONS] }],
        geolocation: { regions: [region] },
        hardware: {},
        software: { os: 'ubuntu-24.04' },
      }),
    ),
  );
}

/** The spread Strategy pool number `p` uses: round-robin over the account-regions. */
export function spreadStrategyFor(p: number): string {
  const account = SPREAD_ACCOUNTS[Math.floor(p / SPREAD_REGIONS.length) % SPREAD_ACCOUNTS.length] ?? 'sim-a';
  const region = SPREAD_REGIONS[p % SPREAD_REGIONS.length] ?? 'na-east';
  return spreadStrategyName(account, region);
}

function spreadStrategyName(account: string, region: string): string {
  return `bench-${account}-${region}`;
}

export function benchPool(name: string, replicas: number, strategy = STRATEGY): ResourceOf<'NodePool'> & { kind: 'NodePool' } {
  return parsed('NodePool', name, { replicas, strategyRef: { name: strategy }, template: {} });
}

function parsed<K extends Kind>(kind: K, name: string, spec: Record<string, unknown>): ResourceOf<K> & { kind: K } {
  const result = parseKind(kind, { apiVersion: API_VERSION, kind, metadata: { name, namespace: NS }, spec });
  if (!result.ok) throw new Error(`bench ${kind} ${name} is invalid:\n${describeIssues(result.issues)}`);
  return { ...result.value, kind };
}

/** Polls `check` until it holds; throws naming `what` past the deadline. Never a fixed sleep as a wait. */
export async function waitFor(what: string, check: () => Promise<boolean>, deadlineMs: number, pollMs = 50): Promise<void> {
  const until = performance.now() + deadlineMs;
  while (!(await check())) {
    if (performance.now() > until) throw new Error(`gave up after ${Math.round(deadlineMs / 1000)} s waiting for ${what}`);
    await delay(pollMs);
  }
}

/** Running Machines of pool `name`. */
export async function runningMachines(store: FileStore, pool: string): Promise<number> {
  // Read-only: a copy of every Machine per poll would take CPU from the controllers being timed.
  const machines = await listReadOnly(store, 'Machine', { namespace: NS, labelSelector: `polyfleet.io/pool=${pool}` });
  return machines.filter((m) => m.status?.phase === 'Running').length;
}
