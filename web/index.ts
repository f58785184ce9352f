export * from './session-store.js';
export * from './web-view.js';
