export * from './kube-access-review.js';
export * from './self-access-review.js';
