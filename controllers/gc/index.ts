export * from './leak-collector.js';
export * from './leaks.js';
export * from './metrics.js';
