export { nodePoolController, NODEPOOL_CONTROLLER, type NodePoolControllerOptions } from './registration.js';
export { planPool, type PlanInput, type PlannedCreate, type PoolPlan } from './plan.js';
export type { DeleteReason, PlannedDelete } from './existing-machines.js';
export { noPoolMetrics, registerPoolMetrics, type PoolMetrics } from './metrics.js';
