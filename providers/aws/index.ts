export { AwsProvider } from './aws-provider.js';
export type { AwsProviderOptions } from './aws-provider.js';
export { awsProviderFor } from './factory.js';
export { PRICE_TABLE } from './price-table.js';
export type { PriceTable } from './price-table.js';
