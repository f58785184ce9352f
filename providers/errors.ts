/**
 * The failures a provider call can end in, classified so a controller can decide without knowing
 * the cloud: capacity/quota → mark the offering out and use the next; throttled/transient → back off
 * and retry; auth/invalidRequest → terminal, tell the operator.
 *
 * Messages name the account and what to check. They never contain a secret: adapters build them
 * from their own words (never by echoing a credential) and keep SDK errors that might hold one out
 * of `cause`.
 */
export abstract class ProviderFault extends Error {
  abstract readonly kind: ProviderErrorKind;
  /** What an operator checks, appended to every message of the class (static: fields are not set yet in the constructor). */
  static readonly hint: string = '';

  constructor(detail: string, readonly account: string, options?: ErrorOptions) {
    super(`provider account "${account}": ${detail}; ${new.target.hint}`, options);
    this.name = new.target.name;
  }
}

/** The zone has no room for the instance type right now. */
export class CapacityError extends ProviderFault {
  readonly kind = 'capacity' as const;
  static override readonly hint = 'try another zone or instance type';
}

/** The account hit a limit (instances, vCPUs, addresses) in that region. */
export class QuotaError extends ProviderFault {
  readonly kind = 'quota' as const;
  static override readonly hint = "raise the account's quota with the provider or lower the pools' size";
}

/** The provider rate-limited us; `retryAfterMs` when it said how long to wait. */
export class ThrottledError extends ProviderFault {
  readonly kind = 'throttled' as const;
  static override readonly hint = 'requests are rate-limited; they are retried later';
  constructor(detail: string, account: string, readonly retryAfterMs?: number, options?: ErrorOptions) {
    super(detail, account, options);
  }
}

/** The credentials were refused or lack a permission. */
export class AuthError extends ProviderFault {
  readonly kind = 'auth' as const;
  static override readonly hint = "check the account's credentials (its Secret, or the standalone credentials) and their permissions";
}

/** The provider refused the request itself: unknown region, zone, type or image, or bad parameters. */
export class InvalidRequestError extends ProviderFault {
  readonly kind = 'invalidRequest' as const;
  static override readonly hint = "check the Strategy's regions, hardware and software against what the account offers";
}

/** A 5xx, a timeout, a dropped connection: the same call may succeed later. */
export class TransientError extends ProviderFault {
  readonly kind = 'transient' as const;
  static override readonly hint = 'the provider failed temporarily; the call is retried';
}

export type ProviderError = CapacityError | QuotaError | ThrottledError | AuthError | InvalidRequestError | TransientError;

export const PROVIDER_ERROR_KINDS = ['capacity', 'quota', 'throttled', 'auth', 'invalidRequest', 'transient'] as const;
export type ProviderErrorKind = (typeof PROVIDER_ERROR_KINDS)[number];

export function isProviderError(e: unknown): e is ProviderError {
  return e instanceof ProviderFault;
}

/** Makes the error of `kind`, for adapters' classifiers and fault injection. */
export function providerError(kind: ProviderErrorKind, detail: string, account: string, options?: ErrorOptions & { retryAfterMs?: number }): ProviderError {
  switch (kind) {
    case 'capacity':
      return new CapacityError(detail, account, options);
    case 'quota':
      return new QuotaError(detail, account, options);
    case 'throttled':
      return new ThrottledError(detail, account, options?.retryAfterMs, options);
    case 'auth':
      return new AuthError(detail, account, options);
    case 'invalidRequest':
      return new InvalidRequestError(detail, account, options);
    case 'transient':
      return new TransientError(detail, account, options);
    default:
      return assertNever(kind);
  }
}

export function isProviderErrorKind(value: string): value is ProviderErrorKind {
  return (PROVIDER_ERROR_KINDS as readonly string[]).includes(value);
}

function assertNever(value: never): never {
  throw new Error(`unexpected provider error kind: ${String(value)}`);
}
