export { fakeBillingCatalog } from './fake-billing-catalog.js';
export type { FakeBillingCatalog } from './fake-billing-catalog.js';
export { COMPUTE_SERVICE, rateSku, unitPrice, unrelatedSkus } from './skus.js';
export type { RateSpec } from './skus.js';
export { computeCatalog, COMPUTE_SERVICE_ID, FAKE_RATES } from './rates.js';
