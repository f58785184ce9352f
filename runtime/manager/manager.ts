import type { Kind } from '../../api/index.js';
import { systemClock, systemTimers, type Clock, type Timers } from '../clock.js';
import { Controller } from '../controller/index.js';
import { deferred } from '../deferred.js';
import { startProbeServer, type HealthCheck, type ProbeServer } from '../http/index.js';
import type { Logger } from '../log.js';
import { createMetrics, type Metrics } from '../metrics/index.js';
import type { RateLimiter } from '../queue/index.js';
import type { ObjectKey, Store, Watch } from '../store/index.js';
import type { LeaderElector } from './leader-elector.js';
import type { ControllerRegistration, ControllerSource } from './registration.js';
import { enqueueControllerOwner, enqueueMapped, enqueueObject, type Handler } from './watch-handlers.js';

export interface ManagerOptions {
  readonly store: Store;
  readonly log: Logger;
  /** Default: a fresh registry of this manager's own. */
  readonly metrics?: Metrics;
  readonly clock?: Clock;
  readonly timers?: Timers;
  /** Absent: this process leads from the start (one process on its state, or a test). */
  readonly elector?: LeaderElector;
  /** How long a stop waits for running reconciles; default 30 s, controller-runtime's. */
  readonly shutdownGraceMs?: number;
  /** Watch one namespace only; default every namespace. */
  readonly namespace?: string;
  /** A fresh limiter per controller; default client-go's. */
  readonly rateLimiter?: () => RateLimiter;
  readonly newReconcileId?: () => string;
}

export type StopReason = 'shutdown' | 'leadership-lost';

type Phase = 'new' | 'syncing' | 'running' | 'stopping' | 'stopped';

export const DEFAULT_SHUTDOWN_GRACE_MS = 30_000;

/**
 * ```ts
 * const manager = new Manager({ store, log, elector });
 * manager.register({
 *   name: 'nodepool', kind: 'NodePool', reconcile: reconcileNodePool,
 *   owns: ['Machine'],
 *   watches: [mapKind('Strategy', (s) => poolsReferencing(store, s))],
 * });
 * stopOnSignals(manager, log);
 * await manager.listen({ port: 8080 });
 * await manager.start();
 * process.exitCode = (await manager.done) === 'shutdown' ? 0 : 1;
 * ```
 * Runs controllers on one Store: one watch per kind fans changes out to the controllers' queues;
 * watches run (and caches warm) whether or not this process leads, and reconciles run only while
 * it does. Leadership lost stops reconciling at once and ends the manager (`done` →
 * "leadership-lost"), for the process to exit and be restarted.
 */
export class Manager {
  readonly metrics: Metrics;
  /** Resolves once the manager has stopped, with why. */
  readonly done: Promise<StopReason>;
  private readonly resolveDone: (reason: StopReason) => void;
  private readonly log: Logger;
  private readonly timers: Timers;
  private readonly graceMs: number;
  private readonly controllers: Controller[] = [];
  /** Each registration's sources with the enqueue they feed; started on leading, stopped on the way out. */
  private readonly sources: { readonly source: ControllerSource; readonly enqueue: (key: ObjectKey) => void }[] = [];
  private stopSources: (() => void)[] = [];
  private readonly handlers = new Map<Kind, Handler[]>();
  private readonly unsynced = new Set<Kind>();
  private readonly stopRequested = deferred();
  private readonly hurry = deferred();
  private watches: { readonly kind: Kind; readonly watch: Watch }[] = [];
  private phase: Phase = 'new';
  private electorRunning = false;
  private leadershipLost = false;
  private stopping: Promise<void> | undefined;
  private probes: ProbeServer | undefined;

  constructor(private readonly options: ManagerOptions) {
    this.log = options.log;
    this.metrics = options.metrics ?? createMetrics();
    this.metrics.unreadableObjects.track(options.store);
    this.timers = options.timers ?? systemTimers;
    this.graceMs = options.shutdownGraceMs ?? DEFAULT_SHUTDOWN_GRACE_MS;
    const done = deferred<StopReason>();
    this.done = done.promise;
    this.resolveDone = done.resolve;
  }

  /** Adds a controller and its watches; only before `start`. */
  register<K extends Kind>(registration: ControllerRegistration<K>): void {
    const { name } = registration;
    if (this.phase !== 'new') throw new Error(`controller ${name} must be registered before the manager starts`);
    if (this.controllers.some((c) => c.name === name)) throw new Error(`a controller named ${name} is already registered`);
    const clock: Clock = this.options.clock ?? systemClock;
    const controller = new Controller(registration, {
      log: this.log,
      clock,
      timers: this.timers,
      queueMetrics: this.metrics.queue(name),
      reconcileMetrics: this.metrics.reconciles(name),
      ...(this.options.rateLimiter ? { rateLimiter: this.options.rateLimiter() } : {}),
      ...(this.options.newReconcileId ? { newReconcileId: this.options.newReconcileId } : {}),
    });
    this.controllers.push(controller);
    const enqueue = (key: ObjectKey): void => {
      controller.enqueue(key);
    };
    this.on(registration.kind, enqueueObject(enqueue));
    const ownedDelayMs = registration.ownedChangeDelayMs ?? 0;
    const enqueueOwner = (key: ObjectKey): void => {
      controller.enqueueOwnerOfChange(key, ownedDelayMs);
    };
    for (const kind of registration.owns ?? []) this.on(kind, enqueueControllerOwner(registration.kind, enqueueOwner));
    const log = this.log.child({ controller: name });
    for (const watch of registration.watches ?? []) this.on(watch.kind, enqueueMapped(watch, enqueue, log));
    for (const source of registration.sources ?? []) this.sources.push({ source, enqueue });
  }

  /**
   * Opens the watches, waits until they have synced, then campaigns for leadership (or leads at
   * once without an elector). Resolves once campaigning began; reconciles start on leadership.
   * If a watch cannot be opened, the manager stops and `start` rejects with the store's error.
   */
  async start(): Promise<void> {
    if (this.phase !== 'new') throw new Error(`the manager cannot start: it is ${this.phase}`);
    this.phase = 'syncing';
    this.log.info({ controllers: this.controllers.map((c) => c.name), kinds: [...this.handlers.keys()] }, 'starting manager');
    try {
      this.openWatches();
    } catch (err) {
      await this.shutDown('shutdown');
      throw err;
    }
    const synced = Promise.all(this.watches.map((w) => w.watch.synced)).then(() => 'synced' as const);
    if ((await Promise.race([synced, this.stopRequested.promise.then(() => 'stopped' as const)])) === 'stopped') return;
    this.phase = 'running';
    this.log.info('caches synced');
    const elector = this.options.elector;
    if (elector === undefined) {
      this.startLeading();
      return;
    }
    this.electorRunning = true;
    elector.run({
      onStartedLeading: () => {
        this.startLeading();
      },
      onStoppedLeading: () => {
        this.loseLeadership();
      },
    });
  }

  /** Takes no more work, waits for running reconciles up to the grace period, then stops. Idempotent. */
  stop(): Promise<void> {
    return this.shutDown('shutdown');
  }

  /** As `stop`, but aborts running reconciles now instead of waiting (a second SIGTERM). */
  stopNow(): Promise<void> {
    this.hurry.resolve();
    return this.shutDown('shutdown');
  }

  /**
   * What /readyz reports: started, caches synced and still current (a watch whose feed broke, such
   * as a kube informer restarting after a crash, fails it until it has re-listed), and (with an
   * elector) campaigning.
   */
  readiness(): HealthCheck[] {
    const stale = this.phase === 'running' ? this.staleWatches() : [];
    const cachesDetail =
      this.unsynced.size > 0 ? `waiting for watches of ${[...this.unsynced].join(', ')}` : stale.length > 0 ? stale.join('; ') : `manager is ${this.phase}`;
    const checks: HealthCheck[] = [
      { name: 'manager', ok: this.phase === 'syncing' || this.phase === 'running', detail: `manager is ${this.phase}` },
      { name: 'caches-synced', ok: this.phase === 'running' && stale.length === 0, detail: cachesDetail },
    ];
    if (this.options.elector !== undefined) {
      const detail = this.leadershipLost ? 'leadership was lost' : 'leader election has not started';
      checks.push({ name: 'leader-election', ok: this.electorRunning && !this.leadershipLost, detail });
    }
    return checks;
  }

  /** Serves /healthz, /readyz and /metrics until the manager stops; may be called before `start`. */
  async listen(address: { host?: string; port?: number } = {}): Promise<ProbeServer> {
    if (this.probes !== undefined) throw new Error(`the manager already serves probes on ${this.probes.url}`);
    this.probes = await startProbeServer({
      ...address,
      readiness: () => this.readiness(),
      registry: this.metrics.registry,
      log: this.log,
    });
    return this.probes;
  }

  /** Why each watch that is not current is not, as its store says. */
  private staleWatches(): string[] {
    const problems: string[] = [];
    for (const { kind, watch } of this.watches) {
      const health = watch.health?.();
      if (health !== undefined && !health.ok) problems.push(`watch of ${kind}: ${health.detail}`);
    }
    return problems;
  }

  private on(kind: Kind, handler: Handler): void {
    const handlers = this.handlers.get(kind) ?? [];
    this.handlers.set(kind, [...handlers, handler]);
  }

  private openWatches(): void {
    const options = this.options.namespace === undefined ? {} : { namespace: this.options.namespace };
    for (const [kind, handlers] of this.handlers) {
      this.unsynced.add(kind);
      const watch = this.options.store.watch(kind, (event) => {
        for (const handler of handlers) {
          try {
            handler(event);
          } catch (err) {
            this.log.error({ err, watchedKind: kind }, 'watch handler failed');
          }
        }
      }, options);
      void watch.synced.then(() => this.unsynced.delete(kind));
      this.watches.push({ kind, watch });
    }
  }

  private startLeading(): void {
    if (this.phase !== 'running') return;
    this.log.info({ identity: this.options.elector?.identity }, 'started leading, reconciling');
    for (const controller of this.controllers) controller.start();
    this.stopSources = this.sources.map(({ source, enqueue }) => source.start(enqueue));
  }

  private endSources(): void {
    for (const stop of this.stopSources.splice(0)) {
      try {
        stop();
      } catch (err) {
        this.log.error({ err }, 'a controller source failed to stop');
      }
    }
  }

  private loseLeadership(): void {
    if (this.stopping !== undefined) return;
    this.leadershipLost = true;
    this.log.error({ identity: this.options.elector?.identity }, 'lost leadership, stopping every reconcile');
    for (const controller of this.controllers) controller.halt('leadership lost');
    void this.shutDown('leadership-lost');
  }

  private shutDown(reason: StopReason): Promise<void> {
    this.stopping ??= this.runShutdown(reason);
    return this.stopping;
  }

  private async runShutdown(reason: StopReason): Promise<void> {
    this.phase = 'stopping';
    this.stopRequested.resolve();
    this.endSources();
    this.log.info({ reason, graceMs: this.graceMs }, 'stopping manager');
    let cancelDeadline = (): void => {};
    const deadline = Promise.race([
      this.hurry.promise,
      new Promise<void>((resolve) => {
        cancelDeadline = this.timers.setTimeout(resolve, this.graceMs);
      }),
    ]);
    const outcomes = await Promise.all(this.controllers.map((c) => c.stop(deadline)));
    cancelDeadline();
    const abandoned = outcomes.reduce((sum, o) => sum + o.abandoned, 0);
    if (abandoned > 0) this.log.warn({ abandoned }, 'stopped without waiting for running reconciles');
    for (const { watch } of this.watches.splice(0)) watch.stop();
    await this.stopElector();
    await this.probes?.close();
    this.phase = 'stopped';
    this.log.info({ reason }, 'manager stopped');
    this.resolveDone(reason);
  }

  private async stopElector(): Promise<void> {
    if (!this.electorRunning) return;
    this.electorRunning = false;
    try {
      await this.options.elector?.stop();
    } catch (err) {
      this.log.error({ err }, 'leader elector failed to stop; the lease expires on its own');
    }
  }
}
