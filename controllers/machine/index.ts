export * from './machine-controller.js';
