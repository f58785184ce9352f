export * from './leaves.js';
