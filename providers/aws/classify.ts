import { providerError } from '../errors.js';
import type { ProviderError, ProviderErrorKind } from '../errors.js';

/**
 * EC2 error codes (https://docs.aws.amazon.com/AWSEC2/latest/APIReference/errors-overview.html) by
 * the class a controller acts on. Codes not listed fall back on the HTTP status: 5xx → transient,
 * other 4xx → invalidRequest.
 */
const CODE_KINDS: Readonly<Record<string, ProviderErrorKind>> = {
  InsufficientInstanceCapacity: 'capacity',
  InsufficientCapacity: 'capacity',
  InsufficientHostCapacity: 'capacity',
  InsufficientReservedInstanceCapacity: 'capacity',
  InstanceLimitExceeded: 'quota',
  VcpuLimitExceeded: 'quota',
  MaxSpotInstanceCountExceeded: 'quota',
  AddressLimitExceeded: 'quota',
  VolumeLimitExceeded: 'quota',
  ResourceLimitExceeded: 'quota',
  InsufficientFreeAddressesInSubnet: 'quota',
  RequestLimitExceeded: 'throttled',
  Throttling: 'throttled',
  ThrottlingException: 'throttled',
  AuthFailure: 'auth',
  UnauthorizedOperation: 'auth',
  InvalidClientTokenId: 'auth',
  SignatureDoesNotMatch: 'auth',
  IncompleteSignature: 'auth',
  MissingAuthenticationToken: 'auth',
  ExpiredToken: 'auth',
  RequestExpired: 'auth',
  OptInRequired: 'auth',
  Blocked: 'auth',
  PendingVerification: 'auth',
  InternalError: 'transient',
  InternalFailure: 'transient',
  ServiceUnavailable: 'transient',
  Unavailable: 'transient',
};

/** Node's network failures: the request may never have reached EC2, so the same call may succeed. */
const NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'EAI_AGAIN', 'ENOTFOUND', 'EHOSTUNREACH', 'ENETUNREACH', 'UND_ERR_SOCKET']);
const NETWORK_NAMES = new Set(['TimeoutError', 'AbortError', 'RequestTimeout', 'RequestTimeoutException']);

/** What classify reads of an SDK (or network) error. */
export interface AwsErrorShape {
  readonly name: string;
  readonly message: string;
  readonly status?: number;
  readonly networkCode?: string;
  readonly retryAfter?: string;
}

export function kindOf(e: AwsErrorShape): ProviderErrorKind {
  const byCode = Object.hasOwn(CODE_KINDS, e.name) ? CODE_KINDS[e.name] : undefined;
  if (byCode !== undefined) return byCode;
  if (e.name.startsWith('InvalidParameter') || e.name.startsWith('Invalid') || e.name.startsWith('Idempotent')) return 'invalidRequest';
  if (e.status !== undefined) return e.status >= 500 ? 'transient' : e.status === 429 ? 'throttled' : e.status === 401 || e.status === 403 ? 'auth' : 'invalidRequest';
  return 'transient';
}

/** Retry-After in seconds (or an HTTP date) as milliseconds; EC2 rarely sends one, and then it is the only honest wait. */
export function retryAfterMs(value: string | undefined, now: number): number | undefined {
  if (value === undefined || value.trim() === '') return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds) && seconds >= 0) return Math.round(seconds * 1000);
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

/** Reads the fields classify needs off whatever the SDK threw. */
export function shapeOf(err: unknown): AwsErrorShape {
  if (!(err instanceof Error)) return { name: 'Error', message: String(err) };
  const e = err as Error & { $metadata?: { httpStatusCode?: number }; $response?: { headers?: Record<string, string | undefined> }; code?: unknown };
  const code = typeof e.code === 'string' ? e.code : undefined;
  const status = e.$metadata?.httpStatusCode;
  const retryAfter = e.$response?.headers?.['retry-after'];
  const networkCode = status !== undefined ? undefined : code !== undefined && NETWORK_CODES.has(code) ? code : NETWORK_NAMES.has(e.name) ? e.name : undefined;
  return {
    name: e.name,
    message: e.message,
    ...(status === undefined ? {} : { status }),
    ...(networkCode === undefined ? {} : { networkCode }),
    ...(retryAfter === undefined ? {} : { retryAfter }),
  };
}

export interface ClassifyContext {
  readonly account: string;
  /** What was being done, e.g. "RunInstances t3.micro in us-east-1a". */
  readonly action: string;
  /** The access key id in use, named in auth errors (it is an identifier, not a secret). */
  readonly accessKeyId?: string;
  readonly now: number;
}

/**
 * The ProviderError for an SDK error. Auth errors keep no `cause` and quote no AWS message, so no
 * request detail (a signature, a credential scope) can ride along into a log or a status.
 */
export function classify(err: unknown, ctx: ClassifyContext): ProviderError {
  const e = shapeOf(err);
  if (e.status !== undefined && e.status >= 300 && e.status < 400) {
    // The SDK never follows one, and must not: a redirect would carry the signed request elsewhere.
    return providerError('invalidRequest', `${ctx.action}: the EC2 endpoint answered with a redirect (HTTP ${e.status}), which polyfleet does not follow; check the account's endpoint`, ctx.account);
  }
  const kind = e.networkCode !== undefined ? 'transient' : kindOf(e);
  if (kind === 'auth') {
    const key = ctx.accessKeyId === undefined ? "the credentials of the SDK's default chain (environment, shared config, instance role)" : `access key id ${ctx.accessKeyId}`;
    return providerError('auth', `${ctx.action}: AWS refused ${key} (${e.name}); check that the key is active, its secret matches, and its IAM policy allows the EC2 actions polyfleet calls`, ctx.account);
  }
  const message = stableMessage(e.message);
  const detail = e.networkCode !== undefined ? `${ctx.action}: EC2 endpoint unreachable (${e.networkCode}): ${message}` : `${ctx.action}: ${e.name}: ${message}`;
  const wait = kind === 'throttled' ? retryAfterMs(e.retryAfter, ctx.now) : undefined;
  return providerError(kind, detail, ctx.account, { cause: err, ...(wait === undefined ? {} : { retryAfterMs: wait }) });
}

/** What changes from one occurrence of an error to the next: request ids and instants. */
const VOLATILE: readonly (readonly [RegExp, string])[] = [
  [/\b(?:aws\s*)?request\s*-?\s*id\b\s*[:=]?\s*(?=[\w-]*\d)[\w-]+/gi, 'request id'],
  [/\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b/gi, '…'],
  [/\b\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|\s?GMT|\s?UTC|[+-]\d{2}:?\d{2})?/gi, '…'],
  [/\b\d{8}T\d{6}Z\b/g, '…'],
  [/\b(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun), \d{1,2} [A-Z][a-z]{2} \d{4} \d{2}:\d{2}:\d{2} GMT\b/g, '…'],
];

/**
 * An SDK message without what differs between two occurrences of one cause (EC2's RequestId, a
 * timestamp), so a condition built from it stays the same and does not flip on every retry.
 */
export function stableMessage(message: string): string {
  return VOLATILE.reduce((text, [pattern, replacement]) => text.replace(pattern, replacement), message);
}
