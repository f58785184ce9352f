export * from './leader-elector.js';
export * from './manager.js';
export * from './registration.js';
export * from './signals.js';
export * from './watch-handlers.js';
