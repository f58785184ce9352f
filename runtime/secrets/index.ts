export * from './secret-content.js';
export * from './secret-reader.js';
export * from './cached-secret-reader.js';
