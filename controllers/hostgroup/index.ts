export { hostGroupController } from './registration.js';
export { reconcileHostGroup } from './controller.js';
export { hostGroupStatus } from './status.js';
