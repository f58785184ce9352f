export { DEFAULT_PRICE_TTL_MS, LivePrices, spotKey } from './live-prices.js';
export type { CachedPrices, LivePricesOptions, PriceBook, RegionPrices } from './live-prices.js';
