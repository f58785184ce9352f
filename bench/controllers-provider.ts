// The bench's providers: the sim with a chosen ready latency, and a `create` call latency the sim
// does not have (it answers as soon as its files are written; a real cloud's RunInstances takes a
// while), observed so the bench knows when creates start and return, per pool. Each is wrapped as
// createProvider wraps an adapter (retries, the account's concurrency limit and rate limit), its
// calls counted in the Manager's polyfleet_provider_requests_total.
import { setTimeout as delay } from 'node:timers/promises';
import type { ProviderAccount } from '../api/index.js';
import type { ProviderResolver } from '../controllers/shared/index.js';
import {
  AccountRateLimiter,
  ConcurrencyLimit,
  DEFAULT_MAX_IN_FLIGHT,
  DEFAULT_MAX_TOKEN_WAIT_MS,
  DEFAULT_RETRY_POLICY,
  rateLimitsFor,
  ResilientProvider,
  systemRetryTiming,
  type CreateRequest,
  type Instance,
  type Provider,
  type ProviderObserver,
} from '../providers/index.js';
import { SimProvider } from '../providers/sim/index.js';

export interface CreateObserver {
  /** A create began (before its call latency). */
  onCreateStarted(pool: string, atMs: number): void;
  /** A create returned successfully. */
  onCreateReturned(pool: string, atMs: number): void;
}

export interface BenchSimOptions {
  readonly simDir: string;
  /** How long each `create` call takes before the sim answers. */
  readonly createCallMs: number;
  /** How long a created instance stays pending (the sim's createLatencyMs). */
  readonly readyMs: number;
  readonly observer: CreateObserver;
  /** Calls in flight per account; default the product's DEFAULT_MAX_IN_FLIGHT. */
  readonly maxInFlight?: number;
  /** Told of every request attempt: the Manager's metrics (polyfleet_provider_*). */
  readonly requests?: ProviderObserver;
}

/** One timed sim Provider per account, built once, as the real resolver does. */
export function benchSimResolver(options: BenchSimOptions): ProviderResolver {
  const providers = new Map<string, Provider>();
  return {
    forAccount(_namespace: string, account: ProviderAccount): Promise<Provider> {
      let provider = providers.get(account.name);
      if (provider === undefined) {
        if (account.type !== 'sim') return Promise.reject(new Error(`the controller bench runs on the sim only, not account ${account.name} of type ${account.type}`));
        const sim = new SimProvider({ account: account.name, dir: options.simDir, createLatencyMs: options.readyMs, deleteLatencyMs: 0 });
        provider = resilient(timedProvider(sim, options.createCallMs, options.observer), account, options);
        providers.set(account.name, provider);
      }
      return Promise.resolve(provider);
    },
  };
}

/** What createProvider puts around every adapter, with the bench's maxInFlight. */
function resilient(inner: Provider, account: ProviderAccount, options: BenchSimOptions): Provider {
  return new ResilientProvider(inner, account, {
    retry: DEFAULT_RETRY_POLICY,
    timing: systemRetryTiming,
    limit: new ConcurrencyLimit(options.maxInFlight ?? DEFAULT_MAX_IN_FLIGHT),
    rateLimiter: new AccountRateLimiter(rateLimitsFor(account.type, account.rateLimit), undefined, { account: account.name, maxWaitMs: DEFAULT_MAX_TOKEN_WAIT_MS }),
    observer: options.requests,
    elapsedMs: () => performance.now(),
  });
}

function timedProvider(inner: Provider, createCallMs: number, observer: CreateObserver): Provider {
  return {
    type: inner.type,
    account: inner.account,
    regions: () => inner.regions(),
    offerings: (region) => inner.offerings(region),
    image: (region, os) => inner.image(region, os),
    get: (id) => inner.get(id),
    describe: (region, ids) => inner.describe(region, ids),
    list: (filter) => inner.list(filter),
    delete: (id) => inner.delete(id),
    async create(req: CreateRequest): Promise<Instance> {
      observer.onCreateStarted(req.pool, performance.now());
      // The call takes createCallMs in all, the sim's own bookkeeping (its instance files) inside it,
      // as a cloud's work is inside its API call's latency; not createCallMs plus the sim's file work.
      const [instance] = await Promise.all([inner.create(req), createCallMs > 0 ? delay(createCallMs) : undefined]);
      observer.onCreateReturned(req.pool, performance.now());
      return instance;
    },
  };
}
