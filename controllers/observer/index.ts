export * from './change-feed.js';
export * from './describe-batch.js';
export * from './fleet-observer.js';
export * from './instance-listing.js';
export * from './observer-of.js';
export * from './region-listing.js';
export * from './listing-diff.js';
