export * from './secret-reader.js';
