export * from './kube-access-review.js';
