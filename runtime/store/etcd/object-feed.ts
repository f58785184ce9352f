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
  /** The changes of one watch response, in revision order. */
  onChanges(changes: readonly KeyChange[]): void;
  /** The revision asked for was compacted away (GoneError), or etcd cancelled the watch: list again. */
  onEnd(error: Error): void;
  /** The connection dropped (etcd3 reconnects and resumes from the last revision by itself) or came back. */
  onConnection(connected: boolean, error?: Error): void;
}

/**
 * Follows every object key from `fromRevision` on. etcd answers a revision it has compacted with
 * a cancelled watch; that is reported as GoneError, as the API server answers 410 Gone.
 */
export async function followObjects(ns: Namespace, fromRevision: number, handlers: ObjectFeedHandlers): Promise<Watcher> {
  const watcher = await ns.watch().prefix(OBJECTS_PREFIX).startRevision(String(fromRevision)).create();
  watcher.on('data', (res) => {
    // etcd3's own 'data' listener (registered first) has already taken the prefix off the keys.
    const changes = res.events.map((ev): KeyChange => ({
      type: ev.type === 'Delete' ? 'delete' : 'put',
      key: ev.kv.key.toString(),
      value: ev.kv.value.toString(),
      modRevision: Number(ev.kv.mod_revision),
    }));
    if (changes.length > 0) handlers.onChanges(changes);
  });
  watcher.on('error', (e) => {
    handlers.onEnd(/compacted/.test(e.message) ? new GoneError(`watch from revision ${String(fromRevision)}: ${e.message}`, { cause: e }) : e);
  });
  watcher.on('disconnected', (e) => {
    handlers.onConnection(false, e);
  });
  watcher.on('connected', () => {
    handlers.onConnection(true);
  });
  return watcher;
}
