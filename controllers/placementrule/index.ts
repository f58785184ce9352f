export * from './leaves.js';
export { placementRuleController, poolRuleTracker } from './registration.js';
export { PLACEMENT_RULE_RESYNC_MS, reconcilePlacementRule } from './controller.js';
export { compileRule, syntheticLeaves } from './compile.js';
export type { RuleCompilation } from './compile.js';
