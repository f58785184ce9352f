export * from './http-server.js';
export * from './probe-server.js';
export * from './problem.js';
export * from './router.js';
export * from './loopback-host.js';
export * from './tls-reload.js';
