export * from './machine-controller.js';
export { noMachineMetrics, registerMachineMetrics } from './metrics.js';
export type { MachineMetrics, SpotInterruption } from './metrics.js';
