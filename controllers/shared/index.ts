export * from './deps.js';
export * from './offering-backoff.js';
export * from './provider-resolver.js';
export * from './credentials-cluster.js';
export * from './credentials-error.js';
export * from './credentials-standalone.js';
export * from './conditions.js';
