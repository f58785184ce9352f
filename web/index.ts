export * from './access.js';
export * from './web-view.js';
