export * from './instrumented-store.js';
export * from './metrics.js';
export * from './provider-metrics.js';
export * from './store-metrics.js';
