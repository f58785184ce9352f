export * from './digitalocean-provider.js';
export * from './rate-limit.js';
export { apiBase } from './client.js';
export { digitalOceanProviderFor } from './factory.js';
