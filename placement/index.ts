// The only way into placement/ from other folders.
export { crushHash32, crushHash32_2, crushHash32_3, crushHash32_4, crushHash32_5 } from './hash.js';
export { crushLn } from './crush-ln.js';
export { straw2Draw, ZERO_WEIGHT_DRAW } from './straw2.js';
export type { Straw2Draw } from './straw2.js';
export { DEVICE_TYPE_ID, ITEM_NONE, OPTIMAL_TUNABLES, WEIGHT_ONE } from './crush-map.js';
export type {
  BucketItem,
  ChooseMode,
  CrushBucket,
  CrushDevice,
  CrushMap,
  CrushRule,
  CrushType,
  RuleStep,
  Tunables,
} from './crush-map.js';
export { CrushMapError, describeProblem } from './map-errors.js';
export type { MapProblem, MapProblemKind } from './map-errors.js';
export { mapProblems, validateMap } from './validate-map.js';
export { parseTestMap, TESTMAP_FORMAT } from './load-testmap.js';
export { createMapper, UnknownRuleError } from './mapper.js';
export type { Mapper } from './mapper.js';
export type { TraceEvent, Tracer } from './trace.js';
export { explainMapping } from './explain.js';
export type { ExplainedDraw, ExplainedEvent, ExplainedStep, Explanation, Placement } from './explain.js';
export { formatExplanation, summarizeExplanation } from './explain-text.js';
export { placements } from './placements.js';
export type { InputPlacement, PlacementsOptions } from './placements.js';
export { itemName, stepText, typeName } from './map-text.js';
export { compilePlacement, PLACEMENT_RULE_ID } from './compiler.js';
export type { CompiledPlacement } from './compiler.js';
export type { LeafDomain, PlacementSpec, PlacementStepSpec } from './placement-spec.js';
export { PlacementSpecError } from './spec-errors.js';
export type { SpecProblem } from './spec-errors.js';
export type { SlotExplanation } from './slot-explain.js';
export { fnv1a32, slotGroupInput } from './slot-input.js';
