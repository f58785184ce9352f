import { isKind, parseKindLenient, type Kind } from '../../../api/index.js';
import { DEFAULT_NAMESPACE, type UnreadableObject } from '../types.js';
import type { StoredObject } from '../file/state-records.js';
import { OBJECTS_PREFIX } from './etcd-keys.js';

export type Decoded =
  /** `raw`: the stored JSON, when it has fields this version does not know (a newer one wrote them). */
  | { readonly ok: true; readonly object: StoredObject; readonly raw?: unknown }
  | { readonly ok: false; readonly kind: Kind; readonly unreadable: UnreadableObject };

/**
 * What etcd holds for an object: its JSON without resourceVersion, which is etcd's mod revision of
 * the key (as the API server does it), so it cannot disagree with the key.
 */
export function encodeObject(object: StoredObject): string {
  const { resourceVersion: _rv, ...metadata } = object.metadata;
  return JSON.stringify({ ...object, metadata });
}

/**
 * The object under `key` at `modRevision`. An object this version's schema refuses (a newer
 * version wrote it, or someone edited etcd by hand) is unreadable rather than dropped in silence;
 * a key outside the layout is ignored (undefined).
 */
export function decodeObject(key: string, value: string, modRevision: number): Decoded | undefined {
  const where = parseObjectKey(key);
  if (where === undefined) return undefined;
  const { kind, namespace, name } = where;
  let json: unknown;
  try {
    json = JSON.parse(value);
  } catch {
    return { ok: false, kind, unreadable: { namespace, name, problem: 'the value is not JSON' } };
  }
  const parsed = parseKindLenient(kind, json);
  const uid = (json as { metadata?: { uid?: unknown } } | null)?.metadata?.uid;
  if (!parsed.ok) {
    const problem = parsed.issues.map((i) => `${i.path || '(root)'}: ${i.message}`).join('; ');
    return { ok: false, kind, unreadable: { namespace, name, ...(typeof uid === 'string' ? { uid } : {}), problem } };
  }
  const object = { ...parsed.value, metadata: { ...parsed.value.metadata, namespace, name, resourceVersion: String(modRevision) } } as StoredObject;
  return parsed.unknownFields.length > 0 ? { ok: true, object, raw: json } : { ok: true, object };
}

export function parseObjectKey(key: string): { kind: Kind; namespace: string; name: string } | undefined {
  if (!key.startsWith(OBJECTS_PREFIX)) return undefined;
  const [kind, namespace = DEFAULT_NAMESPACE, name, ...rest] = key.slice(OBJECTS_PREFIX.length).split('/');
  if (!isKind(kind) || name === undefined || rest.length > 0) return undefined;
  return { kind, namespace, name };
}
