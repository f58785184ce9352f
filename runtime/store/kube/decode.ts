import type { Logger } from 'pino';
import { describeIssues, parseKind, type Kind, type ResourceOf } from '../../../api/index.js';

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

function describeObject(raw: unknown): { namespace?: unknown; name?: unknown } {
  const metadata = (raw as { metadata?: { namespace?: unknown; name?: unknown } } | null)?.metadata;
  return { namespace: metadata?.namespace, name: metadata?.name };
}

/**
 * For the informer: an object the schema refuses (written by hand, or by a newer polyfleet) is
 * logged and skipped, never allowed to stop the informer.
 */
export function lenientDecoder<K extends Kind>(kind: K, logger: Logger): (raw: unknown) => ResourceOf<K> | undefined {
  return (raw) => {
    const parsed = parseKind(kind, withoutManagedFields(raw));
    if (parsed.ok) return parsed.value;
    logger.warn({ kind, ...describeObject(raw), issues: parsed.issues }, 'skipped an object the schema refuses');
    return undefined;
  };
}

/** For a write's answer: the API server stored it, so an object we cannot read means our schema and the CRD disagree. */
export function decodeWritten<K extends Kind>(kind: K, raw: unknown): ResourceOf<K> {
  const parsed = parseKind(kind, withoutManagedFields(raw));
  if (parsed.ok) return parsed.value;
  const { namespace, name } = describeObject(raw);
  throw new Error(
    `${kind} ${String(namespace)}/${String(name)} was written, but the API server's copy does not match polyfleet's schema ` +
      `(is the CRD out of date? apply crds/):\n${describeIssues(parsed.issues)}`,
  );
}
