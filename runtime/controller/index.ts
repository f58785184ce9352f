export * from './controller.js';
export * from './queue-key.js';
export * from './terminal-error.js';
export * from './types.js';
