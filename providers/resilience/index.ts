export * from './concurrency-limit.js';
export * from './observer.js';
export * from './price-overrides.js';
export * from './rate-limit-defaults.js';
export * from './rate-limiter.js';
export * from './resilient-provider.js';
export * from './retry.js';
export * from './token-bucket.js';
