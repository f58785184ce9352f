import { createHash } from 'node:crypto';
import { OWN_TAG_KEYS } from '../types.js';

/**
 * GCE labels allow keys and values of lowercase letters, digits, "_" and "-", at most 63
 * characters, keys starting with a letter. Our tag keys (`polyfleet.io/pool`) are not valid keys,
 * and a pool name or managed-by identity may hold characters a value may not, so:
 * - each own tag key has a fixed label key ("." → "-", "/" → "_"): `polyfleet-io_pool`;
 * - a value keeps [a-z0-9-] and writes any other UTF-8 byte as "_" + two hex digits ("_" itself is
 *   `_5f`), which is exact and reversible; a value whose escaped form exceeds 63 characters becomes
 *   `_h` + a SHA-256 prefix (still deterministic, so a filter finds it) and the original is read
 *   back from the instance's metadata, where every tag is stored verbatim (TAGS_METADATA_KEY).
 */

const MAX_LABEL = 63;
const KEEP = /^[a-z0-9-]$/;
const VALID_KEY = /^[a-z][a-z0-9_-]{0,62}$/;

/** Metadata item holding the request's tags as JSON, the exact source of Instance.tags. */
export const TAGS_METADATA_KEY = 'polyfleet-tags';

const OWN_LABEL_KEYS: ReadonlyMap<string, string> = new Map(OWN_TAG_KEYS.map((tag) => [tag, tag.replaceAll('.', '-').replaceAll('/', '_')]));
const OWN_TAGS_BY_LABEL: ReadonlyMap<string, string> = new Map([...OWN_LABEL_KEYS].map(([tag, label]) => [label, tag]));

/** The label key of a tag key, or undefined when the tag cannot be a label (it is still kept in metadata). */
export function labelKey(tagKey: string): string | undefined {
  const own = OWN_LABEL_KEYS.get(tagKey);
  if (own !== undefined) return own;
  return VALID_KEY.test(tagKey) && !OWN_TAGS_BY_LABEL.has(tagKey) ? tagKey : undefined;
}

export function encodeLabelValue(value: string): string {
  let escaped = '';
  for (const byte of Buffer.from(value, 'utf8')) {
    const char = String.fromCharCode(byte);
    escaped += KEEP.test(char) ? char : `_${byte.toString(16).padStart(2, '0')}`;
  }
  if (escaped.length <= MAX_LABEL) return escaped;
  return `_h${createHash('sha256').update(value, 'utf8').digest('hex').slice(0, MAX_LABEL - 2)}`;
}

/** The original value, or undefined for a hashed (too long) value, whose original is in metadata. */
export function decodeLabelValue(label: string): string | undefined {
  if (label.startsWith('_h')) return undefined;
  const bytes: number[] = [];
  for (let i = 0; i < label.length; i++) {
    if (label[i] === '_') {
      bytes.push(Number.parseInt(label.slice(i + 1, i + 3), 16));
      i += 2;
    } else {
      bytes.push(label.charCodeAt(i));
    }
  }
  return Buffer.from(bytes).toString('utf8');
}

/** Labels for the tags: own tags under their fixed keys, other tags whose key is a valid label key. */
export function tagsToLabels(tags: Readonly<Record<string, string>>): Record<string, string> {
  const labels: Record<string, string> = {};
  for (const [key, value] of Object.entries(tags)) {
    const label = labelKey(key);
    if (label !== undefined) labels[label] = encodeLabelValue(value);
  }
  return labels;
}

/** Tags as callers know them: stored metadata tags first, else what the labels say. */
export function labelsToTags(labels: Readonly<Record<string, string>>, stored: Readonly<Record<string, string>> | undefined): Record<string, string> {
  const tags: Record<string, string> = {};
  for (const [label, value] of Object.entries(labels)) {
    const decoded = decodeLabelValue(value);
    if (decoded !== undefined) tags[OWN_TAGS_BY_LABEL.get(label) ?? label] = decoded;
  }
  return { ...tags, ...stored };
}

/** A GCE list filter matching every tag given (AND of `labels.KEY = "VALUE"` terms). */
export function labelFilter(tags: Readonly<Record<string, string>>): string {
  return Object.entries(tagsToLabels(tags))
    .map(([key, value]) => `labels.${key} = "${value}"`)
    .join(' AND ');
}
