import type { ProviderAccount } from '../../api/index.js';
import type { CreateRequest, Instance, InstanceFilter, Provider, ProviderOffering, ProviderOp, RegionInfo } from '../types.js';
import type { ConcurrencyLimit } from './concurrency-limit.js';
import { ImageCache } from './image-cache.js';
import { requestCode, type ProviderObserver } from './observer.js';
import { callKind, type AccountRateLimiter } from './rate-limiter.js';
import { priceInstance, priceOffering, type PriceOverrides } from './price-overrides.js';
import { withRetry, type RetryPolicy, type RetryTiming } from './retry.js';

export interface Resilience {
  readonly retry: RetryPolicy;
  readonly timing: RetryTiming;
  /** Shared by every call of the account. */
  readonly limit: ConcurrencyLimit;
  /** The account's client-side rate limit: every attempt takes a token before it is sent. Absent: none. */
  readonly rateLimiter?: AccountRateLimiter | undefined;
  readonly observer?: ProviderObserver | undefined;
  /** Milliseconds on a monotonic clock, for request durations. */
  readonly elapsedMs: () => number;
}

/**
 * An adapter with what every adapter needs and none implements itself: retries of throttled and
 * transient failures (create is safe to retry: it is idempotent on (machineUid, attempt)), a limit
 * on calls in flight, the account's rate limit, the account's price overrides, and an observer told
 * of every attempt. Each attempt, a retry too, first takes a token of the account's rate limit (a
 * retry costs the cloud's budget like any call), then a slot of the concurrency limit: waiting for
 * a token holds no slot, and a back-off between attempts holds neither. Image lookups are kept a
 * while (image-cache.ts).
 */
export class ResilientProvider implements Provider {
  readonly type: string;
  readonly account: string;
  private readonly prices: PriceOverrides;
  private readonly images: ImageCache;

  constructor(readonly inner: Provider, account: ProviderAccount, private readonly resilience: Resilience) {
    this.type = inner.type;
    this.account = inner.account;
    this.prices = account.prices ?? {};
    this.images = new ImageCache(resilience.elapsedMs);
  }

  regions(): Promise<RegionInfo[]> {
    return this.call('regions', () => this.inner.regions());
  }

  async offerings(region: string): Promise<ProviderOffering[]> {
    const offerings = await this.call('offerings', () => this.inner.offerings(region));
    return offerings.map((o) => priceOffering(this.prices, o));
  }

  image(region: string, os: string): Promise<string | undefined> {
    return this.images.lookup(region, os, () => this.call('image', () => this.inner.image(region, os)));
  }

  async create(req: CreateRequest): Promise<Instance> {
    return priceInstance(this.prices, await this.call('create', () => this.inner.create(req)));
  }

  async get(instanceId: string, region?: string): Promise<Instance | undefined> {
    const instance = await this.call('get', () => this.inner.get(instanceId, region));
    return instance === undefined ? undefined : priceInstance(this.prices, instance);
  }

  async describe(region: string, ids: readonly string[]): Promise<Instance[]> {
    return (await this.call('describe', () => this.inner.describe(region, ids))).map((i) => priceInstance(this.prices, i));
  }

  async list(filter: InstanceFilter): Promise<Instance[]> {
    return (await this.call('list', () => this.inner.list(filter))).map((i) => priceInstance(this.prices, i));
  }

  delete(instanceId: string, region?: string): Promise<void> {
    return this.call('delete', () => this.inner.delete(instanceId, region));
  }

  private call<T>(op: ProviderOp, send: () => Promise<T>): Promise<T> {
    const { retry, timing, limit } = this.resilience;
    return withRetry(retry, timing, async () => {
      await this.token(op);
      return limit.run(() => this.observed(op, send));
    });
  }

  private async token(op: ProviderOp): Promise<void> {
    const { rateLimiter, observer } = this.resilience;
    if (rateLimiter === undefined) return;
    const kind = callKind(op);
    const waitedMs = await rateLimiter.acquire(kind);
    observer?.rateLimitWait?.({ provider: this.type, account: this.account, kind, seconds: waitedMs / 1000 });
  }

  private async observed<T>(op: ProviderOp, send: () => Promise<T>): Promise<T> {
    const { observer, elapsedMs } = this.resilience;
    const started = elapsedMs();
    const report = (error?: unknown): void => {
      observer?.request({ provider: this.type, account: this.account, op, code: requestCode(error), seconds: (elapsedMs() - started) / 1000 });
    };
    try {
      const result = await send();
      report();
      return result;
    } catch (error) {
      report(error);
      throw error;
    }
  }
}

/** The adapter under any wrapping, for tests that reach into the sim (failNext) behind the resolver. */
export function innermostProvider(provider: Provider): Provider {
  return provider instanceof ResilientProvider ? innermostProvider(provider.inner) : provider;
}
