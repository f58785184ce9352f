import { InvalidRequestError } from '../errors.js';
import { OWN_TAG_KEYS, TAG_ATTEMPT, TAG_MACHINE, TAG_MANAGED_BY, TAG_NAMESPACE, TAG_POOL } from '../types.js';
import type { CreateRequest } from '../types.js';

/**
 * DigitalOcean tags are flat names of `[a-zA-Z0-9_\-:]`, at most 255 characters, not key=value
 * pairs: `polyfleet.io/pool=workers` cannot be a tag. Our tags map to names reversibly:
 * - managed-by → `polyfleet:managed-by:<v>`;
 * - pool and namespace → one `polyfleet:pool:<namespace>:<pool>`, so a list of one pool is one
 *   tag query;
 * - machine and attempt → one `polyfleet:machine:<uid>:<attempt>`, so the lookup before a create
 *   (DO has no idempotency token) is one tag query;
 * - any other key/value → `<key>:<value>`, a bare name → that key with an empty value.
 * Keys and values escape every character but `[a-z0-9-]` as `_xx` (hex of each UTF-8 byte), so
 * `:` only ever separates, and names are lowercase: DO tags are case-insensitive with the casing of
 * their first use kept ("case stable"), so `Team` and `team` would come back as one. A request key starting with `polyfleet` has its `p` escaped, so it
 * can never pass for one of ours.
 */

export const MAX_TAG_LENGTH = 255;
const OWN_PREFIX = 'polyfleet:';
const PLAIN = /^[a-z0-9-]$/;

export function escapeTagPart(text: string): string {
  let out = '';
  for (const ch of text) {
    if (PLAIN.test(ch)) out += ch;
    else for (const byte of Buffer.from(ch, 'utf8')) out += `_${byte.toString(16).padStart(2, '0')}`;
  }
  return out;
}

/** The text `escapeTagPart` made, or undefined if `part` is not one of its outputs. */
export function unescapeTagPart(part: string): string | undefined {
  if (!/^(?:[a-z0-9-]|_[0-9a-f]{2})*$/.test(part)) return undefined;
  const bytes: number[] = [];
  for (let i = 0; i < part.length; ) {
    if (part[i] === '_') {
      bytes.push(parseInt(part.slice(i + 1, i + 3), 16));
      i += 3;
    } else {
      bytes.push(part.charCodeAt(i));
      i += 1;
    }
  }
  return Buffer.from(bytes).toString('utf8');
}

export function managedByTag(managedBy: string): string {
  return `${OWN_PREFIX}managed-by:${escapeTagPart(managedBy)}`;
}

export function poolTag(namespace: string, pool: string): string {
  return `${OWN_PREFIX}pool:${escapeTagPart(namespace)}:${escapeTagPart(pool)}`;
}

export function machineTag(machineUid: string, attempt: number): string {
  return `${OWN_PREFIX}machine:${escapeTagPart(machineUid)}:${attempt}`;
}

function extraTag(key: string, value: string): string {
  const escapedKey = key.startsWith('polyfleet') ? `_70${escapeTagPart(key.slice(1))}` : escapeTagPart(key);
  return value === '' ? escapedKey : `${escapedKey}:${escapeTagPart(value)}`;
}

/** The tag names of a droplet `req` creates: ours, then the request's own (ours win). */
export function tagsForRequest(req: CreateRequest, account: string): string[] {
  const own = [managedByTag(req.managedBy), poolTag(req.namespace, req.pool), machineTag(req.machineUid, req.attempt)];
  const extra = Object.entries(req.tags ?? {})
    .filter(([key]) => !(OWN_TAG_KEYS as readonly string[]).includes(key))
    .map(([key, value]) => ({ key, name: extraTag(key, value) }));
  for (const { key, name } of extra) {
    if (name.length > MAX_TAG_LENGTH) {
      throw new InvalidRequestError(`tag ${JSON.stringify(key)} is ${name.length} characters as a DigitalOcean tag name, more than ${MAX_TAG_LENGTH}`, account);
    }
  }
  for (const name of own) {
    if (name.length > MAX_TAG_LENGTH) throw new InvalidRequestError(`polyfleet's own tag ${JSON.stringify(name.slice(0, 40))}… is longer than ${MAX_TAG_LENGTH} characters`, account);
  }
  return [...own, ...extra.map((e) => e.name)];
}

function ownTags(rest: string): Record<string, string> | undefined {
  const [field, ...parts] = rest.split(':');
  const values = parts.map(unescapeTagPart);
  if (values.some((v) => v === undefined)) return undefined;
  const [first = '', second = ''] = values as string[];
  if (field === 'managed-by' && values.length === 1) return { [TAG_MANAGED_BY]: first };
  if (field === 'pool' && values.length === 2) return { [TAG_NAMESPACE]: first, [TAG_POOL]: second };
  if (field === 'machine' && values.length === 2 && /^[0-9]+$/.test(second)) return { [TAG_MACHINE]: first, [TAG_ATTEMPT]: second };
  return undefined;
}

function tagOf(name: string): Record<string, string> {
  if (name.startsWith(OWN_PREFIX)) return ownTags(name.slice(OWN_PREFIX.length)) ?? { [name]: '' };
  const [key = '', value, ...more] = name.split(':');
  const decodedKey = unescapeTagPart(key);
  const decodedValue = value === undefined ? '' : unescapeTagPart(value);
  // A tag someone else wrote by hand (`env:prod:eu`, `a_b`) is kept under its own name.
  if (more.length > 0 || decodedKey === undefined || decodedValue === undefined) return { [name]: '' };
  return { [decodedKey]: decodedValue };
}

/** A droplet's tag names back as our key/value tags (the inverse of tagsForRequest). */
export function tagsFromNames(names: readonly string[]): Record<string, string> {
  return Object.assign({}, ...names.map(tagOf)) as Record<string, string>;
}
