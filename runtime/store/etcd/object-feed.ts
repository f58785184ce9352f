import type { Namespace, Watcher } from 'etcd3';
import { GoneError } from '../errors.js';
import { OBJECTS_PREFIX } from './etcd-keys.js';

/** One key's change, as etcd reports it; keys are relative to the store's prefix. */
export interface KeyChange {
  readonly type: 'put' | 'delete';
  readonly key: string;
  readonly value: string;
  readonly modRevision: number;
}

export interface ObjectFeedHandlers {
  /** The watch, as soon as it exists: cancel it to end the feed, connected or not. */
  onWatcher(watcher: Watcher): void;
  /** The changes of one watch response, in revision order. */
  onChanges(changes: readonly KeyChange[]): void;
  /**
   * The feed ended and calls nothing more: GoneError if the history it needed was compacted away
   * (list again), else the connection dropped or etcd cancelled the watch (follow again from the
   * last revision seen).
   */
  onEnd(error: Error): void;
}

/**
 * Follows every object key from `fromRevision` on, until the connection drops or etcd cancels the
 * watch. It does not let etcd3 resume by itself: etcd3 moves its resume point to the revision
 * etcd had when it reconnected, which can skip changes not yet delivered; the caller resumes from
 * the last revision it applied. A revision etcd has compacted is GoneError, as the API server
 * answers 410 Gone. Rejects the same ways if the watch cannot be created.
 */
export async function followObjects(ns: Namespace, fromRevision: number, handlers: ObjectFeedHandlers): Promise<Watcher> {
  // Attached at once, so `handlers.onWatcher` can cancel it even while it waits for a connection.
  const watcher = ns.watch().prefix(OBJECTS_PREFIX).startRevision(String(fromRevision)).watcher();
  handlers.onWatcher(watcher);
  try {
    await new Promise<void>((resolve, reject) => {
      watcher.once('connected', () => { resolve(); });
      watcher.once('error', reject);
    });
  } catch (e) {
    throw await whyEnded(ns, fromRevision, e instanceof Error ? e : new Error(String(e)));
  }
  let next = fromRevision;
  let ended = false;
  const end = (error: Error): void => {
    if (ended) return;
    ended = true;
    watcher.removeAllListeners('data');
    watcher.cancel().catch(() => undefined);
    void whyEnded(ns, next, error).then((why) => { handlers.onEnd(why); });
  };
  watcher.on('data', (res) => {
    if (ended) return;
    // etcd3's own 'data' listener (registered first) has already taken the prefix off the keys.
    const changes = res.events.map((ev): KeyChange => ({
      type: ev.type === 'Delete' ? 'delete' : 'put',
      key: ev.kv.key.toString(),
      value: ev.kv.value.toString(),
      modRevision: Number(ev.kv.mod_revision),
    }));
    for (const change of changes) next = Math.max(next, change.modRevision + 1);
    if (changes.length > 0) handlers.onChanges(changes);
  });
  watcher.on('error', end);
  watcher.on('disconnected', end);
  return watcher;
}

/**
 * etcd cancels a watch whose revision was compacted without a reason etcd3 passes on, so ask: a
 * read just before `next` fails with "compacted" if the history from `next` on is gone.
 */
async function whyEnded(ns: Namespace, next: number, error: Error): Promise<Error> {
  if (next <= 1) return error;
  try {
    await ns.getAll().prefix(OBJECTS_PREFIX).revision(next - 1).limit(1).keys();
    return error;
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    return /compacted/.test(message) ? new GoneError(`watch from revision ${String(next)}: ${message}`, { cause: e }) : error;
  }
}
