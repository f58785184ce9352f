import type { Logger } from 'pino';
import type { CancelTimer, Timers } from '../../clock.js';
import { apiFailure, type KubeStatus } from './api-errors.js';
import { Backoff } from './backoff.js';
import type { ListWatchClient, RunningWatch } from './custom-resource-client.js';
import { identityOf, type Decoded } from './decode.js';
import { ObjectCache, type CacheChange, type CachedObject, type UnreadableEntry } from './object-cache.js';

export interface InformerOptions<T extends CachedObject> {
  /** The kind, for logs. */
  readonly kind: string;
  readonly client: ListWatchClient;
  /** Turns what the API server sent into a cached object, or says why this version cannot read it. */
  readonly decode: (raw: unknown) => Decoded<T>;
  readonly logger: Logger;
  readonly timers: Timers;
  /** How often every cached object is handed to the handlers again as MODIFIED; 0: never. Default 10 min. */
  readonly resyncPeriodMs?: number;
  /** Objects per list page. Default 500, client-go's. */
  readonly pageSize?: number;
  /** Server-side timeout of one watch request; default 20–28 s, see `randomWatchTimeout`. */
  readonly watchTimeoutSeconds?: () => number;
  readonly backoff?: Backoff;
}

export type ChangeHandler<T> = (change: CacheChange<T>) => void;

const CLOSED: WatchOutcome = { kind: 'closed' };
const FAILED: WatchOutcome = { kind: 'failed' };
const EXPIRED: WatchOutcome = { kind: 'expired' };

function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/** A handler's subscription: `synced` resolves once it has had ADDED for everything cached. */
export interface Subscription {
  readonly synced: Promise<void>;
  stop(): void;
}

interface Registration<T> {
  readonly handler: ChangeHandler<T>;
  readonly namespace: string | undefined;
  /** False until the handler has been given the cache's content, so no change reaches it before that. */
  active: boolean;
}

type WatchOutcome = { readonly kind: 'closed' | 'failed' | 'expired' } | { readonly kind: 'crashed'; readonly error: unknown };

/** Whether the informer's cache is current; see Watch.health in runtime/store/types.ts. */
export type InformerHealth = { readonly ok: true } | { readonly ok: false; readonly detail: string };

/**
 * client-node's Watch aborts a stream that is silent for 30 s, so we ask the server to end each
 * watch before that (client-go asks for 5–10 min); it sends a bookmark 2 s before it does, and we
 * resume from there. Random, so many informers do not reconnect in step.
 */
function randomWatchTimeout(): number {
  return 20 + Math.floor(Math.random() * 9);
}

/**
 * One kind's list+watch loop feeding an ObjectCache, as client-go's reflector and informer do:
 * list (paged) then watch from the list's resourceVersion with bookmarks; resume the watch from the
 * last version seen when it ends; re-list when the server says that version is gone (410), and
 * synthesize DELETED for what vanished meanwhile; back off on failures; resync periodically.
 * A loop that crashes (a bug: anything thrown where only the API server's failures were expected)
 * is restarted after a back-off with a fresh list, and reports not healthy until that list is in.
 */
export class Informer<T extends CachedObject> {
  readonly cache = new ObjectCache<T>();
  private readonly registrations = new Set<Registration<T>>();
  private readonly backoff: Backoff;
  private readonly logger: Logger;
  private resourceVersion = '';
  private started = false;
  private stopped = false;
  /** A list of the current loop is in the cache: false before the first and after a crash until the re-list. */
  private current = false;
  private lastCrash: unknown;
  private runningWatch: RunningWatch | undefined;
  private endWatch: (() => void) | undefined;
  private cancelWait: (() => void) | undefined;
  private cancelResync: CancelTimer | undefined;
  private markSynced: () => void = () => undefined;
  private readonly syncedOnce: Promise<void>;
  private rejectReaders: (error: Error) => void = () => undefined;
  private readonly stoppedBeforeSync: Promise<never>;

  constructor(private readonly options: InformerOptions<T>) {
    this.backoff = options.backoff ?? new Backoff();
    this.logger = options.logger.child({ kind: options.kind });
    this.syncedOnce = new Promise((resolve) => (this.markSynced = resolve));
    this.stoppedBeforeSync = new Promise((_, reject) => (this.rejectReaders = reject));
    this.stoppedBeforeSync.catch(() => undefined);
  }

  start(): void {
    if (this.started || this.stopped) return;
    this.started = true;
    this.supervise().catch((err: unknown) => {
      // Only a broken Timers can get here; nothing is left to restart the loop.
      this.lastCrash = err;
      this.current = false;
      this.logger.error({ err }, 'informer supervisor failed; the cache is no longer updated');
    });
    this.scheduleResync();
  }

  /** Not ok before the first list, after a crash until the re-list, and once stopped. */
  health(): InformerHealth {
    if (this.stopped) return { ok: false, detail: `the ${this.options.kind} informer is stopped` };
    if (this.current) return { ok: true };
    if (this.lastCrash !== undefined) {
      return { ok: false, detail: `the ${this.options.kind} informer crashed (${messageOf(this.lastCrash)}) and has not re-listed yet` };
    }
    return { ok: false, detail: `the ${this.options.kind} informer has not listed yet` };
  }

  /** What the API server has of this kind that this version cannot read; see Store.unreadable. */
  unreadable(namespace: string | undefined): ReturnType<ObjectCache<T>['unreadable']> {
    return this.cache.unreadable(namespace);
  }

  /** Resolves once the first list is in the cache; rejects if the informer stops first. */
  whenSynced(): Promise<void> {
    return Promise.race([this.syncedOnce, this.stoppedBeforeSync]);
  }

  subscribe(handler: ChangeHandler<T>, namespace: string | undefined): Subscription {
    const registration: Registration<T> = { handler, namespace, active: false };
    this.registrations.add(registration);
    const synced = this.syncedOnce.then(
      () =>
        new Promise<void>((resolve) => {
          if (!this.registrations.has(registration)) return; // stopped first: stays pending, as Watch.synced promises
          for (const object of this.cache.list(namespace)) this.deliver(registration, { type: 'ADDED', object });
          registration.active = true;
          resolve();
        }),
    );
    return { synced, stop: () => this.registrations.delete(registration) };
  }

  /** Call before a write whose answer will be observed; pass the number to `endWrite`. */
  beginWrite(): number {
    return this.cache.beginWrite();
  }

  endWrite(seq: number): void {
    this.cache.endWrite(seq);
  }

  /** A write's answer (write-through): cached and handed to handlers if newer than what is cached. */
  observeWritten(object: T): void {
    this.dispatch(this.cache.applyWrite(object));
  }

  /** This process's delete removed the object. */
  observeDeleted(namespace: string, name: string, uid: string | undefined): void {
    this.dispatch(this.cache.applyDeleted(namespace, name, uid));
  }

  stop(): void {
    if (this.stopped) return;
    this.stopped = true;
    this.registrations.clear();
    this.runningWatch?.abort();
    this.endWatch?.();
    this.cancelWait?.();
    this.cancelResync?.();
    this.rejectReaders(new Error(`the ${this.options.kind} informer was stopped (store closed)`));
  }

  /** Runs the loop; restarts it, with a fresh list, after a back-off, whenever it crashes. */
  private async supervise(): Promise<void> {
    while (!this.stopped) {
      try {
        await this.run();
      } catch (err) {
        this.current = false;
        this.lastCrash = err;
        this.runningWatch?.abort();
        this.runningWatch = undefined;
        this.logger.error({ err }, 'informer loop crashed; restarting it with a fresh list');
        await this.wait(this.backoff.next());
      }
    }
  }

  private async run(): Promise<void> {
    while (!this.stopped) {
      if (await this.relist()) await this.watchUntilExpired();
    }
  }

  private async relist(): Promise<boolean> {
    try {
      const { items, unreadable, resourceVersion } = await this.listAll();
      if (this.stopped) return false;
      this.resourceVersion = resourceVersion;
      this.backoff.reset();
      for (const change of this.cache.replace(items, resourceVersion, unreadable)) this.dispatch(change);
      this.logger.debug({ objects: this.cache.size, unreadable: unreadable.length, resourceVersion }, 'listed');
      this.current = true;
      this.lastCrash = undefined;
      this.markSynced();
      return true;
    } catch (err) {
      this.logger.warn({ err }, 'list failed, retrying');
      await this.wait(this.backoff.next());
      return false;
    }
  }

  private async listAll(): Promise<{ items: T[]; unreadable: UnreadableEntry[]; resourceVersion: string }> {
    const items: T[] = [];
    const unreadable: UnreadableEntry[] = [];
    let continueToken: string | undefined;
    let resourceVersion = '';
    do {
      const page = await this.options.client.listPage({ limit: this.options.pageSize ?? 500, continueToken });
      resourceVersion = page.resourceVersion;
      for (const raw of page.items) {
        const decoded = this.options.decode(raw);
        if (decoded.kind === 'readable') items.push(decoded.object);
        else if (decoded.kind === 'unreadable') {
          this.warnUnreadable(decoded);
          unreadable.push({ object: decoded.object, resourceVersion: decoded.identity.resourceVersion });
        } else this.logger.warn({ problem: decoded.problem }, 'skipped a listed object without namespace and name');
      }
      continueToken = page.continueToken;
    } while (continueToken !== undefined && !this.stopped);
    return { items, unreadable, resourceVersion };
  }

  private warnUnreadable(decoded: Extract<Decoded<T>, { kind: 'unreadable' }>): void {
    const { namespace, name, problem } = decoded.object;
    this.logger.warn({ namespace, name, problem }, 'cannot read an object: its fields do not match this version\'s schema; tracked as unreadable');
  }

  private async watchUntilExpired(): Promise<void> {
    while (!this.stopped) {
      const outcome = await this.watchOnce();
      if (outcome.kind === 'crashed') throw outcome.error;
      if (outcome.kind === 'expired') {
        this.logger.info({ resourceVersion: this.resourceVersion }, 'watch expired, re-listing');
        return;
      }
      if (outcome.kind === 'failed') await this.wait(this.backoff.next());
    }
  }

  /** One watch request, from the last version seen, until it ends. */
  private watchOnce(): Promise<WatchOutcome> {
    return new Promise((resolve) => {
      let ended = false;
      const end = (outcome: WatchOutcome): void => {
        if (ended) return;
        ended = true;
        this.runningWatch?.abort();
        this.runningWatch = undefined;
        this.endWatch = undefined;
        resolve(outcome);
      };
      this.endWatch = () => { end(CLOSED); };
      const timeoutSeconds = (this.options.watchTimeoutSeconds ?? randomWatchTimeout)();
      this.options.client
        .watch(
          { resourceVersion: this.resourceVersion, timeoutSeconds },
          {
            onEvent: (type, object) => {
              if (ended) return;
              let outcome: WatchOutcome | undefined;
              try {
                outcome = this.onWatchEvent(type, object);
              } catch (error) {
                // Not the API server's failure but ours: the cache may be half updated, so the loop starts over.
                outcome = { kind: 'crashed', error };
              }
              if (outcome !== undefined) end(outcome);
            },
            onClose: (error) => {
              if (!ended) end(error === undefined ? CLOSED : this.watchFailed(error));
            },
          },
        )
        .then(
          (running) => {
            if (ended) running.abort();
            else this.runningWatch = running;
          },
          (error: unknown) => {
            if (!ended) end(this.watchFailed(error));
          },
        );
    });
  }

  private watchFailed(error: unknown): WatchOutcome {
    if (apiFailure(error)?.code === 410) return EXPIRED;
    this.logger.warn({ err: error }, 'watch failed, retrying');
    return FAILED;
  }

  /** Applies one watch event; returns how the watch ends if this event ends it. */
  private onWatchEvent(type: string, raw: unknown): WatchOutcome | undefined {
    if (type === 'ERROR') {
      const status = raw as KubeStatus | null;
      if (status?.code === 410) return EXPIRED;
      this.logger.warn({ status }, 'watch sent an error, retrying');
      return FAILED;
    }
    this.backoff.reset();
    const version = (raw as { metadata?: { resourceVersion?: unknown } } | null)?.metadata?.resourceVersion;
    if (typeof version === 'string' && version !== '') this.resourceVersion = version;
    if (type !== 'ADDED' && type !== 'MODIFIED' && type !== 'DELETED') return undefined;
    const decoded = this.options.decode(raw);
    switch (decoded.kind) {
      case 'readable':
        this.dispatch(this.cache.applyWatchEvent(type, decoded.object));
        return undefined;
      case 'unreadable': {
        const { namespace, name, uid } = decoded.object;
        if (type === 'DELETED') this.dispatch(this.cache.watchDeleted(namespace, name, uid));
        else {
          this.warnUnreadable(decoded);
          this.dispatch(this.cache.applyUnreadable({ object: decoded.object, resourceVersion: decoded.identity.resourceVersion }));
        }
        return undefined;
      }
      case 'malformed': {
        // A DELETED whose object lost its shape still names what went, if anything does.
        const identity = identityOf(raw);
        if (type === 'DELETED' && identity !== undefined) this.dispatch(this.cache.watchDeleted(identity.namespace, identity.name, identity.uid));
        else this.logger.warn({ type, problem: decoded.problem }, 'skipped a watch event without namespace and name');
        return undefined;
      }
    }
  }

  private dispatch(change: CacheChange<T> | undefined): void {
    if (change === undefined) return;
    for (const registration of this.registrations) {
      if (registration.active) this.deliver(registration, change);
    }
  }

  private deliver(registration: Registration<T>, change: CacheChange<T>): void {
    const namespace = change.object.metadata.namespace;
    if (registration.namespace !== undefined && registration.namespace !== namespace) return;
    try {
      registration.handler({ type: change.type, object: structuredClone(change.object) });
    } catch (err) {
      this.logger.error({ err, namespace, name: change.object.metadata.name }, 'watch handler threw');
    }
  }

  private wait(ms: number): Promise<void> {
    if (this.stopped) return Promise.resolve();
    return new Promise((resolve) => {
      const cancel = this.options.timers.setTimeout(() => {
        this.cancelWait = undefined;
        resolve();
      }, ms);
      this.cancelWait = () => {
        cancel();
        resolve();
      };
    });
  }

  /** client-go's resync: hand every cached object to the handlers again, so level-triggered controllers re-check the world. */
  private scheduleResync(): void {
    const period = this.options.resyncPeriodMs ?? 10 * 60_000;
    if (period <= 0 || this.stopped) return;
    this.cancelResync = this.options.timers.setTimeout(() => {
      for (const object of [...this.cache.values()]) this.dispatch({ type: 'MODIFIED', object });
      this.scheduleResync();
    }, period);
  }
}
