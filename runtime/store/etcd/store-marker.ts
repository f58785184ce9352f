import type { Namespace } from 'etcd3';
import { describeEtcdFailure } from './etcd-connection.js';
import { ForeignDataError, UnfinishedImportError } from './etcd-errors.js';
import { MARKER_KEY } from './etcd-keys.js';

const MARKER_FORMAT = 'polyfleet-store';

/** The value of the marker key: what makes a prefix a polyfleet store, and whose. */
export interface Marker {
  readonly format: typeof MARKER_FORMAT;
  readonly version: 1;
  readonly installationId: string;
  /** Set while `polyfleet state import` writes the objects: no process opens the store meanwhile. */
  readonly importing?: true;
}

/** The marker key's value for `installationId`; `importing` while an import is under way. */
export function markerValue(installationId: string, importing: boolean): string {
  const marker: Marker = { format: MARKER_FORMAT, version: 1, installationId, ...(importing ? { importing: true } : {}) };
  return JSON.stringify(marker);
}

/**
 * Makes sure the prefix is a polyfleet store: the marker key if it is there; else, on an empty
 * prefix, writes one (atomically, so two processes starting at once agree on one installation id).
 * Returns the installation id. Throws ForeignDataError if the prefix holds other keys and no marker,
 * UnfinishedImportError while `polyfleet state import` has not finished writing the objects,
 * and EtcdUnavailableError (naming the endpoints and cause) if etcd cannot be asked.
 */
export async function ensureStoreMarker(ns: Namespace, where: { endpoints: readonly string[]; prefix: string }, newInstallationId: () => string): Promise<string> {
  const call = async <T>(doing: string, fn: () => Promise<T>): Promise<T> => {
    try {
      return await fn();
    } catch (e) {
      throw describeEtcdFailure(where.endpoints, doing, e);
    }
  };
  for (;;) {
    const existing = await call('reading the store marker', () => ns.get(MARKER_KEY).string());
    if (existing !== null) {
      const marker = readMarker(existing, where);
      if (marker.importing === true) throw new UnfinishedImportError(where.endpoints, where.prefix);
      return marker.installationId;
    }
    const sample = await call(`listing ${where.prefix}`, () => ns.getAll().limit(1).keys());
    if (sample[0] !== undefined) throw new ForeignDataError(where.endpoints, where.prefix, `${where.prefix}${sample[0]}`);
    const installationId = newInstallationId();
    const created = await call('writing the store marker', () =>
      ns.if(MARKER_KEY, 'Create', '==', 0).then(ns.put(MARKER_KEY).value(markerValue(installationId, false))).commit(),
    );
    if (created.succeeded) return installationId;
  }
}

/** The marker's content; ForeignDataError if the value is not a polyfleet store marker. */
export function readMarker(value: string, where: { endpoints: readonly string[]; prefix: string }): Marker {
  let parsed: unknown;
  try {
    parsed = JSON.parse(value);
  } catch {
    parsed = undefined;
  }
  const marker = parsed as Partial<Marker> | undefined;
  if (marker?.format !== MARKER_FORMAT || typeof marker.installationId !== 'string') {
    throw new ForeignDataError(where.endpoints, where.prefix, `${where.prefix}${MARKER_KEY}`);
  }
  return marker as Marker;
}
