import { isProviderError, providerError } from '../errors.js';
import type { ProviderErrorKind } from '../errors.js';
import type { ProviderOp } from '../types.js';
import { retryAfterMsFromHeaders } from './rate-limit.js';

/**
 * DigitalOcean's errors, mapped to our classes. dots-wrapper is axios: a refused call rejects
 * with `error.response.status`, `.headers` and `.data` = `{id, message, request_id}`; a call that
 * got no answer has no `response` and a `code` (ECONNREFUSED, ECONNABORTED on timeout).
 * The axios error is never kept as `cause`: its request config carries the bearer token. The
 * request_id is never in a message either: it is new on every request.
 */

export interface DigitalOceanErrorBody {
  readonly id?: string;
  readonly message?: string;
  readonly request_id?: string;
}

interface HttpFailure {
  readonly status: number;
  readonly body: DigitalOceanErrorBody;
  readonly headers: unknown;
}

const MAX_DETAIL = 300;

/** 422 messages that mean "no room here now", as DO words them ("Size is not available in this region."). */
const CAPACITY = /not available in this region|region is (?:currently )?(?:not available|unavailable)|currently unavailable|insufficient capacity|out of capacity/i;
/** 422 messages of an account limit ("creating this/these droplet(s) will exceed your droplet limit"). */
const QUOTA = /droplet limit|exceed your .*limit|quota/i;

/** DO's custom scopes polyfleet's calls need (tag:create because droplets are tagged as they are created), or a read+write token. */
export const TOKEN_HINT =
  'check the token and its scopes (a read+write token, or custom scopes droplet:create, droplet:read, droplet:delete, tag:create, tag:read, regions:read, sizes:read, image:read, actions:read)';

function record(value: unknown): Record<string, unknown> | undefined {
  return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : undefined;
}

function bodyOf(data: unknown): DigitalOceanErrorBody {
  const parsed = typeof data === 'string' ? safeJson(data) : data;
  const r = record(parsed);
  return {
    ...(typeof r?.id === 'string' ? { id: r.id } : {}),
    ...(typeof r?.message === 'string' ? { message: r.message } : {}),
    ...(typeof r?.request_id === 'string' ? { request_id: r.request_id } : {}),
  };
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** The HTTP answer a failed SDK call got, or undefined if it got none. */
export function httpFailureOf(e: unknown): HttpFailure | undefined {
  const response = record(record(e)?.response);
  if (!response || typeof response.status !== 'number') return undefined;
  return { status: response.status, body: bodyOf(response.data), headers: response.headers };
}

export function isNotFound(e: unknown): boolean {
  return httpFailureOf(e)?.status === 404;
}

function kindOf(status: number, body: DigitalOceanErrorBody): ProviderErrorKind {
  if (status === 401 || status === 403) return 'auth';
  if (status === 429) return 'throttled';
  if (status >= 500) return 'transient';
  const message = body.message ?? '';
  if (status === 422 && QUOTA.test(message)) return 'quota';
  if (status === 422 && CAPACITY.test(message)) return 'capacity';
  return 'invalidRequest';
}

/**
 * DigitalOcean's message with what differs on every request taken out — UUIDs (request ids) and
 * timestamps — so one cause always reads the same: a Strategy's Ready condition holds the
 * message, and one that changed each time would rewrite the status on every reconcile.
 */
export function stableText(text: string): string {
  return text
    .replace(/\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b/gi, '…')
    .replace(/\b[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9:.]+(?:Z|[+-][0-9]{2}:?[0-9]{2})?/g, '…');
}

/** Status, error id and message of an answer; never its request_id, which is new on every request. */
function said(failure: HttpFailure): string {
  const { id, message } = failure.body;
  const text = [`${failure.status}${id === undefined ? '' : ` ${id}`}`, message === undefined ? undefined : stableText(message)].filter((s) => s !== undefined && s !== '').join(': ');
  return text.slice(0, MAX_DETAIL);
}

/** scheme://host:port of the API base a failed request went to, never its path, query or user info. */
function originOf(e: unknown): string | undefined {
  const config = record(record(e)?.config);
  const base = config?.baseURL ?? config?.url;
  try {
    return typeof base === 'string' ? new URL(base).origin : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The ProviderError (as unknown, to be thrown) for a failed DigitalOcean call. Anything that is neither an HTTP answer nor a
 * network failure (a bug of ours) is returned unchanged, so it is not mistaken for a cloud's word.
 */
export function classifyDigitalOceanError(e: unknown, op: ProviderOp, account: string, nowMs: number): unknown {
  if (isProviderError(e)) return e;
  const failure = httpFailureOf(e);
  if (failure && failure.status >= 300 && failure.status < 400) {
    // Redirects are never followed (client.ts): the token would go with them.
    const endpoint = originOf(e) ?? 'the DigitalOcean endpoint';
    return providerError('invalidRequest', `DigitalOcean ${op}: ${endpoint} answered HTTP ${failure.status}, a redirect, which polyfleet does not follow; set the account's endpoint to the DigitalOcean API itself`, account);
  }
  if (failure) {
    const kind = kindOf(failure.status, failure.body);
    const detail = `DigitalOcean ${op} answered ${said(failure)}`;
    if (kind === 'auth') return providerError(kind, `${detail}; ${TOKEN_HINT}`, account);
    if (kind === 'throttled') return providerError(kind, detail, account, { retryAfterMs: retryAfterMsFromHeaders(failure.headers, nowMs) });
    return providerError(kind, detail, account);
  }
  const r = record(e);
  if (r?.isAxiosError === true || typeof r?.code === 'string') {
    const code = typeof r.code === 'string' ? r.code : 'no answer';
    return providerError('transient', `DigitalOcean ${op} got no answer (${code})`, account);
  }
  return e;
}
