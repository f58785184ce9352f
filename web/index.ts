export * from './session-store.js';
export * from './web-view.js';
export * from './sign-in-throttle.js';
