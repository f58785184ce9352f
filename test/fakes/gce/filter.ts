import { HttpError } from './google-errors.js';

/**
 * The subset of Compute Engine's list filter grammar
 * (https://cloud.google.com/compute/docs/reference/rest/v1/instances/list, `filter`) that the fake
 * understands: label equality terms joined by AND, each optionally in parentheses, e.g.
 * `labels.env = "prod" AND (labels.tier = "web")`. Anything else is refused with a 400, so an
 * adapter sending a filter the fake cannot honour fails loudly instead of seeing every instance.
 */
export type LabelFilter = ReadonlyMap<string, string>;

const TERM = /^\(?\s*labels\.([a-z][a-z0-9_-]*)\s*=\s*(?:"([^"]*)"|([a-z0-9_-]+))\s*\)?$/;

export function parseFilter(filter: string | null): LabelFilter {
  const terms = new Map<string, string>();
  if (filter === null || filter.trim() === '') return terms;
  for (const term of filter.trim().split(/\s+AND\s+/)) {
    const match = TERM.exec(term.trim());
    if (match === null) {
      throw new HttpError(400, 'invalid', `Invalid value for field 'filter': '${filter}'. Invalid list filter expression.`);
    }
    const [, key = '', quoted, bare] = match;
    terms.set(key, quoted ?? bare ?? '');
  }
  return terms;
}

const OPERATION_TERM = /^\(?\s*(operationType|targetLink)\s*=\s*"([^"]*)"\s*\)?$/;

/**
 * zoneOperations.list's filter as the fake understands it: `operationType = "…"` and
 * `targetLink = "…"` terms joined by AND (how Google's preemption-history sample asks for
 * `compute.instances.preempted` operations); anything else is a 400, as for instances.
 */
export function parseOperationFilter(filter: string | null): { operationType?: string; targetLink?: string } {
  const match: { operationType?: string; targetLink?: string } = {};
  if (filter === null || filter.trim() === '') return match;
  for (const term of filter.trim().split(/\s+AND\s+/)) {
    const found = OPERATION_TERM.exec(term.trim());
    if (found === null) throw new HttpError(400, 'invalid', `Invalid value for field 'filter': '${filter}'. Invalid list filter expression.`);
    const [, field = '', value = ''] = found;
    if (field === 'operationType') match.operationType = value;
    else match.targetLink = value;
  }
  return match;
}

export function matches(filter: LabelFilter, labels: Readonly<Record<string, string>>): boolean {
  for (const [key, value] of filter) if (labels[key] !== value) return false;
  return true;
}

/** maxResults (1–500, default 500) and an opaque pageToken over a stable ordering. */
export function page<T>(items: readonly T[], params: URLSearchParams): { items: T[]; nextPageToken?: string } {
  const max = params.get('maxResults') === null ? 500 : Number(params.get('maxResults'));
  if (!Number.isInteger(max) || max < 0 || max > 500) throw new HttpError(400, 'invalid', `Invalid value for field 'maxResults': '${params.get('maxResults') ?? ''}'. Must be between 0 and 500.`);
  const token = params.get('pageToken');
  const start = token === null || token === '' ? 0 : Number(Buffer.from(token, 'base64url').toString('utf8').replace(/^offset:/, ''));
  if (!Number.isInteger(start) || start < 0) throw new HttpError(400, 'invalid', `Invalid value for field 'pageToken': '${token ?? ''}'.`);
  const size = max === 0 ? 500 : max;
  const slice = items.slice(start, start + size);
  const next = start + size < items.length ? Buffer.from(`offset:${start + size}`, 'utf8').toString('base64url') : undefined;
  return next === undefined ? { items: slice } : { items: slice, nextPageToken: next };
}
