import type { Logger } from 'pino';
import type { Kind } from '../../../api/index.js';
import type { Watch, WatchEvent } from '../types.js';
import { cloneJson } from './json-value.js';
import type { Change } from './object-index.js';

interface Watcher {
  readonly kind: Kind;
  readonly namespace: string | undefined;
  readonly handler: (event: WatchEvent<Kind>) => void;
  queue: Change[];
  head: number;
  /** How many of the queued events are the initial ADDEDs; `synced` resolves once they are delivered. */
  initialLeft: number;
  scheduled: boolean;
  stopped: boolean;
  markSynced: () => void;
}

/**
 * Fans changes out to watchers. Each watcher has its own queue, drained on a microtask, so a
 * handler never runs inside a write (a handler that writes cannot deadlock the store) and every
 * handler sees changes in the order they were applied. Each delivery is a fresh copy.
 */
export class WatchHub {
  private readonly watchers = new Set<Watcher>();

  constructor(private readonly logger: Logger) {}

  add(kind: Kind, namespace: string | undefined, handler: (event: WatchEvent<Kind>) => void, existing: readonly Change['object'][]): Watch {
    let markSynced = (): void => undefined;
    const synced = new Promise<void>((resolve) => {
      markSynced = resolve;
    });
    const initial = existing.filter((o) => namespace === undefined || o.metadata.namespace === namespace);
    const watcher: Watcher = {
      kind,
      namespace,
      handler,
      queue: initial.map((object): Change => ({ type: 'ADDED', object })),
      head: 0,
      initialLeft: initial.length,
      scheduled: false,
      stopped: false,
      markSynced,
    };
    this.watchers.add(watcher);
    this.schedule(watcher);
    return {
      synced,
      stop: () => {
        watcher.stopped = true;
        watcher.queue = [];
        this.watchers.delete(watcher);
      },
    };
  }

  publish(changes: readonly Change[]): void {
    for (const watcher of this.watchers) {
      const relevant = changes.filter(
        (c) => c.object.kind === watcher.kind && (watcher.namespace === undefined || c.object.metadata.namespace === watcher.namespace),
      );
      if (relevant.length === 0) continue;
      watcher.queue.push(...relevant);
      this.schedule(watcher);
    }
  }

  stopAll(): void {
    for (const watcher of this.watchers) watcher.stopped = true;
    this.watchers.clear();
  }

  private schedule(watcher: Watcher): void {
    if (watcher.scheduled) return;
    watcher.scheduled = true;
    queueMicrotask(() => {
      this.drain(watcher);
    });
  }

  private drain(watcher: Watcher): void {
    watcher.scheduled = false;
    while (!watcher.stopped && watcher.head < watcher.queue.length) {
      const change = watcher.queue[watcher.head++];
      if (change !== undefined) this.deliver(watcher, change);
      if (watcher.initialLeft > 0 && --watcher.initialLeft === 0) watcher.markSynced();
    }
    watcher.queue = watcher.queue.slice(watcher.head);
    watcher.head = 0;
    if (watcher.initialLeft === 0 && !watcher.stopped) watcher.markSynced();
  }

  private deliver(watcher: Watcher, change: Change): void {
    try {
      watcher.handler({ type: change.type, object: cloneJson(change.object) });
    } catch (err) {
      const { kind, metadata } = change.object;
      this.logger.error({ err, kind, namespace: metadata.namespace, name: metadata.name }, 'watch handler threw; the watch goes on');
    }
  }
}
