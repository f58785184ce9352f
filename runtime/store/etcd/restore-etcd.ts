import type { Namespace } from 'etcd3';
import type { Resource } from '../../../api/index.js';
import type { StoredEvent } from '../../events/types.js';
import { ImportRefusedError } from '../dump/dump-errors.js';
import { keyOf } from '../types.js';
import { connectEtcd, describeEtcdFailure, type EtcdConnectionOptions } from './etcd-connection.js';
import { ForeignDataError } from './etcd-errors.js';
import { DEFAULT_ETCD_PREFIX, LEADER_KEY, MARKER_KEY, normalizePrefix, OBJECTS_PREFIX, objectKey } from './etcd-keys.js';
import { eventKey, EVENT_TTL_SECONDS } from './etcd-event-sink.js';
import { encodeObject } from './object-codec.js';
import { markerValue, readMarker } from './store-marker.js';

export interface RestoreEtcdOptions extends EtcdConnectionOptions {
  readonly prefix?: string;
  readonly installationId: string;
  readonly objects: readonly Resource[];
  /** Events about them, each on a lease for what is left of its hour after its last repeat. */
  readonly events?: readonly StoredEvent[];
  /** For the events' remaining hour. Default: now. */
  readonly now?: Date;
}

/** etcd's default --max-txn-ops is 128; the marker's guard and some room besides. */
const PUTS_PER_TXN = 100;

/**
 * Writes `objects` (uids, status, finalizers and all, as given) and their events under the prefix, and the
 * installation id into its marker. Refuses (ImportRefusedError) if the prefix holds objects or a
 * `polyfleet run` leads on it. The marker says "importing" from the first write to the last, so a
 * crash in between leaves a store no process opens (UnfinishedImportError) until the same import is
 * run again, which finishes it: never a partial store that a controller would act on. A prefix
 * with a marker and no objects (a `polyfleet get` made it) takes the dump's installation id: with
 * no Machine, no instance can carry its old one.
 */
export async function restoreEtcdStore(options: RestoreEtcdOptions): Promise<{ target: string }> {
  const prefix = normalizePrefix(options.prefix ?? DEFAULT_ETCD_PREFIX);
  const target = `store etcd://${options.endpoints.join(',')} prefix ${prefix}`;
  const where = { endpoints: options.endpoints, prefix };
  const client = connectEtcd(options);
  const ns = client.namespace(prefix);
  const call = async <T>(doing: string, fn: () => Promise<T>): Promise<T> => {
    try {
      return await fn();
    } catch (e) {
      throw describeEtcdFailure(options.endpoints, doing, e);
    }
  };
  try {
    const markerKv = (await call('reading the store marker', () => ns.get(MARKER_KEY).exec())).kvs[0];
    const marker = markerKv === undefined ? undefined : readMarker(markerKv.value.toString(), where);
    const resuming = marker?.importing === true && marker.installationId === options.installationId;
    if (marker?.importing === true && !resuming) {
      throw new ImportRefusedError(target, `an unfinished import of installation ${marker.installationId} is in it; finish that one (run it again) or empty the prefix`);
    }
    const leader = await call('reading the leader key', () => ns.get(LEADER_KEY).string());
    if (leader !== null) throw new ImportRefusedError(target, `a polyfleet run leads on it (${leader}); stop every polyfleet run on this store first`);
    if (!resuming) {
      const held = await call(`counting ${prefix}${OBJECTS_PREFIX}`, () => ns.getAll().prefix(OBJECTS_PREFIX).count());
      if (held > 0) throw new ImportRefusedError(target, `it already holds ${String(held)} objects (an import never merges); import under another --etcd-prefix, or empty this one`);
      if (marker === undefined) {
        const sample = await call(`listing ${prefix}`, () => ns.getAll().limit(1).keys());
        if (sample[0] !== undefined) throw new ForeignDataError(options.endpoints, prefix, `${prefix}${sample[0]}`);
      }
    }
    let markerRevision = Number(markerKv?.mod_revision ?? 0);
    markerRevision = await writeMarker(ns, target, markerRevision, options.installationId, true, call);
    for (let i = 0; i < options.objects.length; i += PUTS_PER_TXN) {
      const batch = options.objects.slice(i, i + PUTS_PER_TXN);
      const res = await call(`writing objects ${String(i + 1)}-${String(i + batch.length)}`, () =>
        ns
          .if(MARKER_KEY, 'Mod', '==', markerRevision)
          .then(...batch.map((o) => ns.put(objectKey(o.kind, keyOf(o))).value(encodeObject(o))))
          .commit(),
      );
      if (!res.succeeded) throw new ImportRefusedError(target, 'another process changed the store marker during the import; nothing more was written');
    }
    for (const event of options.events ?? []) {
      const leftSeconds = Math.floor((Date.parse(event.lastTimestamp) - (options.now ?? new Date()).getTime()) / 1000) + EVENT_TTL_SECONDS;
      // An event past its hour is gone from a store that kept it too.
      if (leftSeconds < 1) continue;
      const lease = ns.lease(leftSeconds, { autoKeepAlive: false });
      const key = eventKey(event.regarding, event);
      const res = await call(`writing the event ${key}`, async () => ns.if(MARKER_KEY, 'Mod', '==', markerRevision).then(ns.put(key).value(JSON.stringify(event)).lease(await lease.grant())).commit());
      lease.release();
      if (!res.succeeded) throw new ImportRefusedError(target, 'another process changed the store marker during the import; nothing more was written');
    }
    await writeMarker(ns, target, markerRevision, options.installationId, false, call);
    return { target };
  } finally {
    client.close();
  }
}

/** Writes the marker if it is still at `expected` (0: absent); returns its new mod revision. */
async function writeMarker(ns: Namespace, target: string, expected: number, installationId: string, importing: boolean, call: <T>(doing: string, fn: () => Promise<T>) => Promise<T>): Promise<number> {
  const guard: [string, 'Create' | 'Mod', '==', number] = expected === 0 ? [MARKER_KEY, 'Create', '==', 0] : [MARKER_KEY, 'Mod', '==', expected];
  const res = await call('writing the store marker', () => ns.if(...guard).and(LEADER_KEY, 'Create', '==', 0).then(ns.put(MARKER_KEY).value(markerValue(installationId, importing))).commit());
  if (!res.succeeded) throw new ImportRefusedError(target, 'another process wrote the store marker or took the leader key meanwhile; run the import again');
  return Number(res.header.revision);
}
