export { DEFAULT_PRICE_TTL_MS, isZoneSpotKey, LivePrices, spotKey, zoneSpotKey } from './live-prices.js';
export type { CachedPrices, LivePricesOptions, PriceBook, RegionPrices } from './live-prices.js';
