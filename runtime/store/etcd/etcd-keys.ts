import type { Kind } from '../../../api/index.js';
import type { ObjectKey } from '../types.js';

/** The default root of everything polyfleet keeps in etcd. */
export const DEFAULT_ETCD_PREFIX = '/polyfleet/';

/**
 * Where things live under the prefix. Keys here are relative to it (the client's namespace adds it).
 * Objects sort as the API server lists them: by namespace, then name.
 */
export const MARKER_KEY = 'store';
export const OBJECTS_PREFIX = 'objects/';
export const EVENTS_PREFIX = 'events/';

export function objectKey(kind: Kind, key: ObjectKey): string {
  return `${OBJECTS_PREFIX}${kind}/${key.namespace}/${key.name}`;
}

export function eventsOfPrefix(kind: Kind, namespace: string, name: string): string {
  return `${EVENTS_PREFIX}${namespace}/${kind}/${name}/`;
}

/** A prefix always ends in "/" so `/polyfleet` and `/polyfleet-old` never overlap. */
export function normalizePrefix(prefix: string): string {
  if (prefix === '') throw new Error('--etcd-prefix must not be empty');
  return prefix.endsWith('/') ? prefix : `${prefix}/`;
}

/** Held by the leading `polyfleet run`, bound to its lease. */
export const LEADER_KEY = 'leader';
