import { PROVIDER_TYPES } from '../api/index.js';
import type { ProviderAccount } from '../api/index.js';
import { AccountRateLimiter, ConcurrencyLimit, DEFAULT_RETRY_POLICY, rateLimitsFor, ResilientProvider, systemRetryTiming } from './resilience/index.js';
import type { LimiterTimers, ProviderObserver, RateBudgetListener, RetryPolicy, RetryTiming } from './resilience/index.js';
import { SimProvider } from './sim/index.js';
import type { PriceBook } from './pricing/index.js';
import type { Clock, Provider } from './types.js';

export type ProviderType = ProviderAccount['type'];

/** The account's Secret data (or standalone credentials), key to value. Never logged. */
export type ProviderCredentials = Readonly<Record<string, string>>;

/** Calls one account has in flight at most, unless ProviderOptions.maxInFlight says otherwise. */
export const DEFAULT_MAX_IN_FLIGHT = 16;

/**
 * The longest a call waits in place for a rate-limit token: as long as the longest retry back-off,
 * past which the controllers requeue instead of holding a reconcile.
 */
export const DEFAULT_MAX_TOKEN_WAIT_MS = DEFAULT_RETRY_POLICY.capMs;

/** What the process, not the Strategy, decides about every provider it makes. */
export interface ProviderOptions {
  readonly clock?: Clock;
  /** sim: the sim dir (default $POLYFLEET_SIM_DIR, else .polyfleet/sim). */
  readonly simDir?: string;
  /** Retries of throttled and transient failures; default DEFAULT_RETRY_POLICY. `{ maxAttempts: 1 }`: none. */
  readonly retry?: Partial<RetryPolicy>;
  /** Back-off sleeps and jitter; default real timers and Math.random. */
  readonly retryTiming?: RetryTiming;
  /** Calls in flight per account (each Provider made); more wait in FIFO order. Default DEFAULT_MAX_IN_FLIGHT. */
  readonly maxInFlight?: number;
  /** Told of every request attempt, for metrics. */
  readonly observer?: ProviderObserver;
  /** Monotonic milliseconds for request durations; default performance.now. */
  readonly elapsedMs?: () => number;
  /** Time of the per-account rate limit's token buckets; default real time. */
  readonly rateLimitTimers?: LimiterTimers;
  /**
   * Longest a call waits in place for a token of its account's rate limit; a longer wait is a
   * ThrottledError saying how long, which the controllers requeue for. Default DEFAULT_MAX_TOKEN_WAIT_MS.
   */
  readonly maxTokenWaitMs?: number;
  /**
   * Set by createProvider for the adapter it builds, never by a caller: where the adapter reports
   * what its cloud says of the account's budget (DigitalOcean's ratelimit-* headers).
   */
  readonly rateBudget?: RateBudgetListener;
  /** Where the account's prices read from its cloud's pricing API outlive the process (aws). */
  readonly priceBook?: PriceBook;
  /** How old prices read from a pricing API may get before they are stale (aws, gcp); default DEFAULT_PRICE_TTL_MS. */
  readonly priceTtlMs?: number;
}

/**
 * Builds one account's adapter. createProvider wraps whatever it returns with retries, the
 * concurrency limit, the rate limit, metrics and `account.prices`: adapters do none of those
 * themselves (set the SDK's own retries to one attempt) and report their price table's prices —
 * the overrides are applied in one place, the wrapper. (aws also reads `account.prices`, only to keep offering a
 * type its shipped table lacks; the wrapper then sets the same price again.)
 */
export type ProviderFactory = (account: ProviderAccount, credentials: ProviderCredentials, options: ProviderOptions) => Provider;

/**
 * Provider types whose adapter is built, each loaded on first use: the cloud SDKs are heavy (importing
 * the GCP one alone takes ~2.5 s and ~250 MB), and most processes — `polyfleet get`, a sim-only
 * `polyfleet run` — never touch most clouds.
 */
const FACTORIES: Partial<Record<ProviderType, () => Promise<ProviderFactory>>> = {
  aws: () => import('./aws/index.js').then((m) => m.awsProviderFor),
  digitalocean: () => import('./digitalocean/index.js').then((m) => m.digitalOceanProviderFor),
  gcp: () => import('./gcp/index.js').then((m) => m.gcpProviderFor),
  sim: () => Promise.resolve(simProviderFor),
};

function simProviderFor(account: ProviderAccount, credentials: ProviderCredentials, options: ProviderOptions): Provider {
  return new SimProvider({
    account: account.name,
    ...(options.simDir === undefined ? {} : { dir: options.simDir }),
    ...(options.clock === undefined ? {} : { clock: options.clock }),
    ...(credentials.apiKey === undefined ? {} : { apiKey: credentials.apiKey }),
  });
}

/**
 * The credential keys each type needs when it is given credentials at all: any one of the sets.
 * Given none, an adapter may fall back on its SDK's own chain (aws), or need none (sim).
 */
export const CREDENTIAL_KEY_SETS: Readonly<Record<ProviderType, readonly (readonly string[])[]>> = {
  aws: [['accessKeyId', 'secretAccessKey']],
  gcp: [['serviceAccountKey'], ['accessToken']],
  digitalocean: [['token']],
  sim: [[]],
};

/** What is missing from `credentials` for `type`, in words ("accessKeyId and secretAccessKey"), or undefined if nothing is. */
export function missingCredentialKeys(type: ProviderType, credentials: ProviderCredentials): string | undefined {
  const sets = CREDENTIAL_KEY_SETS[type];
  if (sets.some((keys) => keys.every((k) => Object.hasOwn(credentials, k)))) return undefined;
  return sets.map((keys) => keys.join(' and ')).join(', or ');
}

/** A Strategy names a provider type polyfleet does not know, or one whose adapter this build lacks. */
export class ProviderUnavailableError extends Error {
  constructor(readonly account: string, readonly type: string) {
    const known = (PROVIDER_TYPES as readonly string[]).includes(type);
    super(
      known
        ? `provider account "${account}" has type "${type}", which this build of polyfleet cannot use yet (available: ${availableProviderTypes().join(', ')})`
        : `provider account "${account}" has type "${type}", which is not a provider type polyfleet knows (known: ${PROVIDER_TYPES.join(', ')})`,
    );
    this.name = 'ProviderUnavailableError';
  }
}

export function availableProviderTypes(): ProviderType[] {
  return PROVIDER_TYPES.filter((t) => FACTORIES[t] !== undefined);
}

/**
 * The Provider for one account of a Strategy, wrapped (ResilientProvider); rejects with
 * ProviderUnavailableError for a type without an adapter. Each call makes a new concurrency limit
 * and rate limit: callers keep one Provider per account (the ProviderResolver does).
 */
export async function createProvider(account: ProviderAccount, credentials: ProviderCredentials = {}, options: ProviderOptions = {}): Promise<Provider> {
  const load = Object.hasOwn(FACTORIES, account.type) ? FACTORIES[account.type] : undefined;
  if (load === undefined) throw new ProviderUnavailableError(account.name, account.type);
  const factory = await load();
  // One limiter per Provider, so one per account: the resolver keeps one Provider per account.
  const rateLimiter = new AccountRateLimiter(rateLimitsFor(account.type, account.rateLimit), options.rateLimitTimers, {
    account: account.name,
    maxWaitMs: options.maxTokenWaitMs ?? DEFAULT_MAX_TOKEN_WAIT_MS,
  });
  return new ResilientProvider(factory(account, credentials, { ...options, rateBudget: rateLimiter }), account, {
    retry: { ...DEFAULT_RETRY_POLICY, ...options.retry },
    timing: options.retryTiming ?? systemRetryTiming,
    limit: new ConcurrencyLimit(options.maxInFlight ?? DEFAULT_MAX_IN_FLIGHT),
    rateLimiter,
    observer: options.observer,
    elapsedMs: options.elapsedMs ?? (() => performance.now()),
  });
}
