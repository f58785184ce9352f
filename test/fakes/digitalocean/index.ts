export * from './fake-digitalocean.js';
export type { FakeFailure } from './do-errors.js';
export { powerAction } from './power.js';
