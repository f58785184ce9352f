export { strategyController } from './registration.js';
export { reconcileStrategy, STRATEGY_PROBLEM_RETRY_MS, STRATEGY_RESYNC_MS } from './controller.js';
export { describeFunnel, STATUS_OFFERINGS } from './status.js';
export { priceCacheOf, storedPriceBook } from './price-cache.js';
