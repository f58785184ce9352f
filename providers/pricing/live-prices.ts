import type { Clock } from '../types.js';

/**
 * How old prices read from a pricing API may be before they are stale (PricesStale). They are read
 * again in the background once half of it has passed, so while the API answers, none in use is ever
 * this old: stale prices mean the API has not answered for at least half of it.
 */
export const DEFAULT_PRICE_TTL_MS = 6 * 60 * 60 * 1000;

/** After a failed read, how long the fallback serves before the API is asked again: an outage costs one call per this, not one per offerings(). */
export const DEFAULT_PRICE_RETRY_MS = 5 * 60 * 1000;

/**
 * The key of a type's spot price in a region's prices (RegionPrices.prices, CachedPrices.prices),
 * beside its on-demand price under the type's own name: both are read, cached and kept together.
 */
export function spotKey(instanceType: string): string {
  return `spot/${instanceType}`;
}

/**
 * The key of a type's spot price in one zone (`m5.large/us-east-1a`), for clouds whose spot prices
 * differ by zone (EC2): kept in the same book as the region's other prices.
 */
export function zoneSpotKey(instanceType: string, zone: string): string {
  return `${instanceType}/${zone}`;
}

/** Whether `key` of a region's prices is a zoneSpotKey (not a type, not a spotKey). */
export function isZoneSpotKey(key: string): boolean {
  return key.includes('/') && !key.startsWith(spotKey(''));
}

/** One region's prices and where they came from. */
export interface RegionPrices {
  /** Instance type → USD per hour (api's money format); spotKey(type) → its spot price, where the cloud has one. */
  readonly prices: Readonly<Record<string, string>>;
  readonly source: 'api' | 'table';
  /** RFC 3339: when the api prices were read, or the day the table was made. */
  readonly fetchedAt: string;
}

/** Prices read from an API, as kept between reads (and, given a PriceBook, between processes). */
export interface CachedPrices {
  readonly prices: Readonly<Record<string, string>>;
  readonly fetchedAt: string;
}

/** Where cached prices outlive the process; keyed by account and region. */
export interface PriceBook {
  load(region: string): Promise<CachedPrices | undefined>;
  save(region: string, prices: CachedPrices): Promise<void>;
}

export interface LivePricesOptions {
  /** Reads one region's prices from the cloud's pricing API. */
  readonly read: (region: string) => Promise<Record<string, string>>;
  /** The shipped table's prices of a region: the last fallback. */
  readonly table: (region: string) => Readonly<Record<string, string>>;
  /** The day the table was made (YYYY-MM-DD). */
  readonly tableRefreshed: string;
  readonly clock: Clock;
  readonly ttlMs?: number;
  /** Default DEFAULT_PRICE_RETRY_MS. */
  readonly retryMs?: number;
  readonly book?: PriceBook;
  /** Told of every failed read (the fallback was used); never told a credential. */
  readonly onError?: (region: string, err: unknown) => void;
}

/**
 * One account's prices by region: read from the pricing API, kept, read again in the background
 * once half the TTL has passed while the old ones keep serving, and the shipped table only when no API
 * read ever succeeded. Never rejects: a pricing outage must not stop provisioning.
 */
export class LivePrices {
  private readonly cache = new Map<string, CachedPrices>();
  private readonly reading = new Map<string, Promise<void>>();
  /** Region → when its last read failed (ms). */
  private readonly failedAt = new Map<string, number>();
  /** Regions already looked up in the book: it is read once, then this process's own reads win. */
  private readonly booked = new Set<string>();
  private readonly ttlMs: number;
  private readonly retryMs: number;

  constructor(private readonly options: LivePricesOptions) {
    this.ttlMs = options.ttlMs ?? DEFAULT_PRICE_TTL_MS;
    this.retryMs = options.retryMs ?? DEFAULT_PRICE_RETRY_MS;
  }

  async forRegion(region: string): Promise<RegionPrices> {
    if (!this.booked.has(region)) await this.loadFromBook(region);
    const cached = this.cache.get(region);
    if (cached !== undefined) {
      if (this.isDue(cached)) void this.refresh(region);
      return { ...cached, source: 'api' };
    }
    await this.refresh(region);
    return this.peek(region);
  }

  /** What forRegion would answer now without reading anything: for prices needed synchronously. */
  peek(region: string): RegionPrices {
    const cached = this.cache.get(region);
    if (cached !== undefined) return { ...cached, source: 'api' };
    return { prices: this.options.table(region), source: 'table', fetchedAt: `${this.options.tableRefreshed}T00:00:00Z` };
  }

  /** Resolves once every read in flight is done: for tests and orderly shutdown, never a sleep. */
  async settled(): Promise<void> {
    await Promise.all([...this.reading.values()]);
  }

  /** Half the TTL on: read again before they go stale, so an answering API never leaves them stale. */
  private isDue(cached: CachedPrices): boolean {
    return this.options.clock.now().getTime() - Date.parse(cached.fetchedAt) >= this.ttlMs / 2;
  }

  /** The API's prices now, or undefined (told to onError) if it could not say. */
  private async readFresh(region: string): Promise<CachedPrices | undefined> {
    try {
      const prices = await this.options.read(region);
      // An answer with no price at all is a filter or region the API does not know, not a free cloud.
      if (Object.keys(prices).length === 0) throw new Error(`the pricing API has no prices for ${region}`);
      this.failedAt.delete(region);
      return { prices, fetchedAt: this.options.clock.now().toISOString() };
    } catch (err) {
      this.failedAt.set(region, this.options.clock.now().getTime());
      this.options.onError?.(region, err);
      return undefined;
    }
  }

  private async loadFromBook(region: string): Promise<void> {
    this.booked.add(region);
    try {
      const saved = await this.options.book?.load(region);
      if (saved !== undefined && !this.cache.has(region)) this.cache.set(region, saved);
    } catch (err) {
      this.options.onError?.(region, err);
    }
  }

  /** One read per region at a time, none for a while after a failure; a failure keeps what was cached. */
  private refresh(region: string): Promise<void> {
    const inFlight = this.reading.get(region);
    if (inFlight !== undefined) return inFlight;
    const failed = this.failedAt.get(region);
    if (failed !== undefined && this.options.clock.now().getTime() - failed < this.retryMs) return Promise.resolve();
    const read = (async () => {
      try {
        const fresh = await this.readFresh(region);
        if (fresh === undefined) return;
        this.cache.set(region, fresh);
        await this.options.book?.save(region, fresh);
      } catch (err) {
        // The book could not keep them: they still serve this process.
        this.options.onError?.(region, err);
      } finally {
        this.reading.delete(region);
      }
    })();
    this.reading.set(region, read);
    return read;
  }
}
