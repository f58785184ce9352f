export * from './default-rate-limiter.js';
export * from './queue-metrics.js';
export * from './rate-limiter.js';
export * from './token-bucket.js';
export * from './work-queue.js';
