export * from './probe-server.js';
