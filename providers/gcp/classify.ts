import { providerError } from '../errors.js';
import type { ProviderError, ProviderErrorKind } from '../errors.js';

/**
 * GCE errors, mapped to our classes. Two shapes reach us:
 * - an HTTP error: status + `{error: {code, message, errors: [{reason, domain, message}], status}}`
 *   (gaxios throws it with `code`/`status` = the HTTP status and `response.data` = the body);
 * - a failed operation: `operation.error.errors[].code` such as ZONE_RESOURCE_POOL_EXHAUSTED or
 *   QUOTA_EXCEEDED, with `httpErrorStatusCode`.
 * The SDK error is never kept as `cause`: its request config carries the bearer token.
 */

const OPERATION_CODES: Readonly<Record<string, ProviderErrorKind>> = {
  ZONE_RESOURCE_POOL_EXHAUSTED: 'capacity',
  ZONE_RESOURCE_POOL_EXHAUSTED_WITH_DETAILS: 'capacity',
  RESOURCE_POOL_EXHAUSTED: 'capacity',
  QUOTA_EXCEEDED: 'quota',
  QUOTA_LIMIT: 'quota',
  RESOURCE_OPERATION_RATE_EXCEEDED: 'throttled',
  RATE_LIMIT_EXCEEDED: 'throttled',
  PERMISSIONS_ERROR: 'auth',
  INTERNAL_ERROR: 'transient',
};

/** `errors[].reason` of an HTTP error that says more than its status (a 403 is not always auth). */
const REASONS: Readonly<Record<string, ProviderErrorKind>> = {
  quotaExceeded: 'quota',
  rateLimitExceeded: 'throttled',
  userRateLimitExceeded: 'throttled',
  resourceExhausted: 'capacity',
  backendError: 'transient',
  // A delete while the insert is still running: it is accepted once the instance settles.
  resourceNotReady: 'transient',
};

interface GoogleErrorBody {
  readonly code?: number;
  readonly message?: string;
  readonly errors?: readonly { readonly reason?: string; readonly message?: string }[];
}

export interface OperationError {
  readonly errors?: readonly { readonly code?: string | null; readonly message?: string | null }[] | null;
}

const MAX_DETAIL = 300;

function record(value: unknown): Record<string, unknown> | undefined {
  return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : undefined;
}

function parseBody(data: unknown): GoogleErrorBody | undefined {
  const parsed = typeof data === 'string' ? safeJson(data) : data;
  return record(record(parsed)?.error);
}

function httpStatusOf(e: Record<string, unknown>): number | undefined {
  for (const value of [e.status, e.code, record(e.response)?.status]) if (typeof value === 'number') return value;
  return undefined;
}

/** Retry-After in ms, when the response carried one (seconds, as Google sends it). */
function retryAfterMsOf(e: Record<string, unknown>): number | undefined {
  const headers = record(record(e.response)?.headers);
  const get = headers?.get;
  const raw = typeof get === 'function' ? (get.call(headers, 'retry-after') as unknown) : headers?.['retry-after'];
  const seconds = typeof raw === 'string' ? Number(raw) : Number.NaN;
  return Number.isFinite(seconds) && seconds >= 0 ? seconds * 1000 : undefined;
}

function kindOfStatus(status: number): ProviderErrorKind {
  if (status === 429) return 'throttled';
  if (status === 401 || status === 403) return 'auth';
  if (status >= 500) return 'transient';
  return 'invalidRequest';
}

const NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'EAI_AGAIN', 'ENOTFOUND', 'UND_ERR_SOCKET']);

/** The token endpoint's own error shape: `{error: "invalid_grant", error_description}`. */
function isOAuthRefusal(data: unknown): boolean {
  const error = record(typeof data === 'string' ? safeJson(data) : data)?.error;
  return typeof error === 'string' && /^(invalid_grant|invalid_client|unauthorized_client|access_denied)$/.test(error);
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/**
 * Google's text with what differs on every request taken out, so one cause always reads the same
 * (a Strategy's Ready condition holds the message; a message that changed each time would rewrite
 * the status on every reconcile): an internal error's `(Code: '…')` reference, operation names,
 * UUIDs (request ids) and timestamps.
 */
export function stableText(text: string): string {
  return text
    .replace(/\s*\(Code: '[^']*'\)/g, '')
    .replace(/\boperation-[0-9]+-[0-9a-z-]+/gi, 'operation')
    .replace(/\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b/gi, '…')
    .replace(/\b[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9:.]+(?:Z|[+-][0-9]{2}:?[0-9]{2})?/g, '…')
    .slice(0, MAX_DETAIL);
}

/** scheme://host:port of the URL a failed request went to, never its path, query or user info. */
function originOf(e: Record<string, unknown>): string | undefined {
  const url = record(e.config)?.url ?? record(record(e.response)?.config)?.url;
  try {
    return url instanceof URL || typeof url === 'string' ? new URL(url).origin : undefined;
  } catch {
    return undefined;
  }
}

/** What `call` (e.g. "instances.insert in us-central1-a") failed with, as a ProviderError. */
export function classifyGceError(error: unknown, call: string, account: string): ProviderError {
  const e = record(error) ?? {};
  const status = httpStatusOf(e);
  if (status !== undefined && status >= 300 && status < 400) {
    // Redirects are never followed (clients.ts): the credential would go with them.
    const endpoint = originOf(e) ?? 'the Compute Engine endpoint';
    return providerError('invalidRequest', `${call}: ${endpoint} answered HTTP ${status}, a redirect, which polyfleet does not follow; set the account's endpoint to the Compute Engine API itself`, account);
  }
  if (status === undefined) {
    const code = typeof e.code === 'string' ? e.code : undefined;
    const what = code !== undefined && NETWORK_CODES.has(code) ? `could not reach the Compute Engine API (${code})` : 'failed without an HTTP status';
    return providerError('transient', `${call}: ${what}`, account);
  }
  if (isOAuthRefusal(record(e.response)?.data ?? e.message)) {
    return providerError('auth', `${call}: the OAuth token endpoint refused the service-account key (HTTP ${status})`, account);
  }
  // The REST transport leaves response.data empty and puts the body text in the message.
  const body = parseBody(record(e.response)?.data ?? e.message);
  const known = body?.errors?.find((r) => r.reason !== undefined && REASONS[r.reason] !== undefined)?.reason;
  const reason = known ?? body?.errors?.[0]?.reason;
  const kind = (known === undefined ? undefined : REASONS[known]) ?? kindOfStatus(status);
  const message = stableText(body?.message ?? '');
  const detail = `${call}: HTTP ${status}${reason === undefined ? '' : ` ${reason}`}${message === '' ? '' : `: ${message}`}`;
  if (kind === 'auth') return providerError(kind, `${detail} (the access token or service-account key was refused, or lacks a role such as roles/compute.instanceAdmin.v1)`, account);
  return providerError(kind, detail, account, kind === 'throttled' ? { retryAfterMs: retryAfterMsOf(e) } : {});
}

/** A failed operation's error, classified by its first known code (else by its HTTP status). */
export function classifyOperationError(error: OperationError, httpStatus: number | undefined, call: string, account: string): ProviderError {
  const errors = error.errors ?? [];
  const known = errors.find((x) => x.code != null && OPERATION_CODES[x.code] !== undefined);
  const first = known ?? errors[0];
  const kind = (known?.code == null ? undefined : OPERATION_CODES[known.code]) ?? (httpStatus === undefined ? 'transient' : kindOfStatus(httpStatus));
  const detail = `${call}: operation failed with ${first?.code ?? 'an unnamed error'}${first?.message == null ? '' : `: ${stableText(first.message)}`}`;
  return providerError(kind, detail, account);
}

/** True for an HTTP 404 (a get or delete of a missing resource). */
export function isNotFound(error: unknown): boolean {
  const e = record(error);
  return e !== undefined && httpStatusOf(e) === 404;
}

/** True for an HTTP 409 (insert of a name that exists). */
export function isConflict(error: unknown): boolean {
  const e = record(error);
  return e !== undefined && httpStatusOf(e) === 409;
}
