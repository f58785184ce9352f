import { describeIssues, parseKindLenient, type FieldIssue, type Kind, type ResourceOf } from '../../../api/index.js';
import type { UnreadableObject } from '../types.js';
import type { UnknownFields } from './unknown-fields.js';

/**
 * `managedFields` are dropped before caching (controller-runtime's TransformStripManagedFields):
 * they are often the largest part of an object, polyfleet never reads them, and an update that
 * omits them leaves them as they are on the server.
 */
function withoutManagedFields(raw: unknown): unknown {
  if (typeof raw !== 'object' || raw === null) return raw;
  const metadata = (raw as { metadata?: unknown }).metadata;
  if (typeof metadata !== 'object' || metadata === null || !('managedFields' in metadata)) return raw;
  const { managedFields: _dropped, ...rest } = metadata as Record<string, unknown>;
  return { ...raw, metadata: rest };
}

/** The identity of an object as the API server sent it, read without trusting its shape. */
export interface RawIdentity {
  readonly namespace: string;
  readonly name: string;
  readonly uid: string | undefined;
  readonly resourceVersion: string | undefined;
}

export function identityOf(raw: unknown): RawIdentity | undefined {
  const metadata = (raw as { metadata?: Record<string, unknown> } | null)?.metadata;
  const text = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);
  const name = text(metadata?.name);
  const namespace = text(metadata?.namespace);
  if (name === undefined || namespace === undefined) return undefined;
  return { namespace, name, uid: text(metadata?.uid), resourceVersion: text(metadata?.resourceVersion) };
}

/** What the informer makes of one object the API server sent. */
export type Decoded<T> =
  | { readonly kind: 'readable'; readonly object: T }
  /** The schema refuses it for more than unknown fields: tracked, not cached. */
  | { readonly kind: 'unreadable'; readonly identity: RawIdentity; readonly object: UnreadableObject }
  /** Not even namespace and name: nothing a real API server sends; logged and skipped. */
  | { readonly kind: 'malformed'; readonly problem: string };

/** Issues in words, without values (zod's messages name types and limits, never the input). */
function problemOf(issues: readonly FieldIssue[]): string {
  const text = describeIssues(issues).replaceAll('\n', '; ');
  return text.length <= 1_000 ? text : `${text.slice(0, 999)}…`;
}

/**
 * For the informer. The API server validated every object against its CRD, which may be newer
 * than this version (a rollback, or a CRD upgraded ahead of the controller), so a field this
 * version does not know is no reason to drop the object: it is read without it, and `unknown`
 * remembers the server's copy so a write by this store carries the field through (see
 * unknown-fields.ts). An object the schema refuses for anything else is `unreadable`: the informer
 * keeps it out of the cache and lists it in `Store.unreadable`.
 */
export function lenientDecoder<K extends Kind>(kind: K, unknown: UnknownFields): (raw: unknown) => Decoded<ResourceOf<K>> {
  return (raw) => {
    const input = withoutManagedFields(raw);
    const parsed = parseKindLenient(kind, input);
    if (parsed.ok) {
      if (parsed.unknownFields.length > 0) unknown.remember(parsed.value, input);
      return { kind: 'readable', object: parsed.value };
    }
    const identity = identityOf(raw);
    if (identity === undefined) return { kind: 'malformed', problem: problemOf(parsed.issues) };
    const { namespace, name, uid } = identity;
    return { kind: 'unreadable', identity, object: { namespace, name, ...(uid === undefined ? {} : { uid }), problem: problemOf(parsed.issues) } };
  };
}

/**
 * For a write's answer: the API server stored it, so an object we cannot read (fields unknown to
 * this version aside, as for the informer) means our schema and the CRD disagree.
 */
export function decodeWritten<K extends Kind>(kind: K, raw: unknown, unknown: UnknownFields): ResourceOf<K> {
  const decoded = lenientDecoder(kind, unknown)(raw);
  if (decoded.kind === 'readable') return decoded.object;
  const { namespace, name } = identityOf(raw) ?? {};
  throw new Error(
    `${kind} ${String(namespace)}/${String(name)} was written, but the API server's copy does not match polyfleet's schema ` +
      `(is the CRD out of date? apply crds/): ${decoded.kind === 'unreadable' ? decoded.object.problem : decoded.problem}`,
  );
}
