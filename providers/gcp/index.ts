export { GcpProvider, gcpProviderFor } from './gcp-provider.js';
export type { GcpProviderOptions } from './gcp-provider.js';
export { GCE_PRICES, GCE_PRICES_REFRESHED } from './prices.js';
export { GCE_PRICE_TABLE } from './price-table.js';
export type { GcePriceTable } from './price-table.js';
