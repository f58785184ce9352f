export * from './deps.js';
export * from './offering-backoff.js';
export * from './provider-resolver.js';
export * from './conditions.js';
