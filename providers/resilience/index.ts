export * from './concurrency-limit.js';
export * from './observer.js';
export * from './price-overrides.js';
export * from './resilient-provider.js';
export * from './retry.js';
