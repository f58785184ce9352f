export * from './backend.js';
export * from './inventory-api.js';
export * from './openapi.js';
export * from './regions.js';
export * from './store-backend.js';
export * from './bundle-secrets.js';
