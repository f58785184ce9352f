export * from './errors.js';
export * from './registry.js';
export * from './types.js';
export * from './resilience/index.js';
export * from './pricing/index.js';
