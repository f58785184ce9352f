import { Counter, Histogram, type Registry } from 'prom-client';

/**
 * One attempt of one cloud call, as providers/ reports it (its ProviderObserver's argument, which
 * runtime/ may not import; the shapes agree structurally).
 */
export interface ProviderRequestEvent {
  /** The cloud: aws, gcp, digitalocean, sim. */
  readonly provider: string;
  /** Not a label: the type is enough to alert on, and accounts are free text of every Strategy. */
  readonly account: string;
  readonly op: string;
  /** "ok" or the provider error's kind. */
  readonly code: string;
  readonly seconds: number;
}

/** One token taken from an account's client-side rate limit (providers/' RateLimitWait). */
export interface RateLimitWaitEvent {
  readonly provider: string;
  readonly account: string;
  /** "read" or "write". */
  readonly kind: string;
  readonly seconds: number;
}

/** A ProviderObserver backed by prom-client. */
export interface ProviderRequestMetrics {
  request(event: ProviderRequestEvent): void;
  rateLimitWait(event: RateLimitWaitEvent): void;
}

/** Cloud APIs answer in tens of milliseconds to tens of seconds (a create waiting on an operation). */
const PROVIDER_BUCKETS = [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60];

/** Most tokens are there at once (0); a spent budget holds reads for seconds to many minutes. */
const WAIT_BUCKETS = [0, 0.01, 0.1, 0.5, 1, 5, 15, 60, 300, 900];

export function registerProviderMetrics(registry: Registry): ProviderRequestMetrics {
  const requests = new Counter({
    name: 'polyfleet_provider_requests_total',
    help: 'Provider API requests by cloud, operation and outcome code ("ok" or the error kind); every retry is a request',
    labelNames: ['provider', 'op', 'code'] as const,
    registers: [registry],
  });
  const duration = new Histogram({
    name: 'polyfleet_provider_request_duration_seconds',
    help: 'Time of one provider API request by cloud and operation, queueing for the concurrency limit and back-off excluded',
    labelNames: ['provider', 'op'] as const,
    buckets: PROVIDER_BUCKETS,
    registers: [registry],
  });
  // Unlike the request metrics this one is labelled by account: the budget is the account's, and
  // which account's reads are held back is the question it answers. Accounts are a Strategy's
  // short list, so the series stay few.
  const waits = new Histogram({
    name: 'polyfleet_provider_rate_limit_wait_seconds',
    help: "Time a provider call waited for a token of its account's client-side rate limit, by cloud, account and kind (read or write); every call and retry is counted, most with 0",
    labelNames: ['provider', 'account', 'kind'] as const,
    buckets: WAIT_BUCKETS,
    registers: [registry],
  });
  return {
    request: ({ provider, op, code, seconds }) => {
      requests.inc({ provider, op, code });
      duration.observe({ provider, op }, seconds);
    },
    rateLimitWait: ({ provider, account, kind, seconds }) => {
      waits.observe({ provider, account, kind }, seconds);
    },
  };
}
