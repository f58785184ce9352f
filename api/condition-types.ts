/** Condition types and reasons, one place, so controllers and tests spell them alike. */
export const ConditionType = {
  Ready: 'Ready',
  Progressing: 'Progressing',
  Degraded: 'Degraded',
  BudgetExceeded: 'BudgetExceeded',
  InvalidSpec: 'InvalidSpec',
  NoOfferings: 'NoOfferings',
} as const;
export type ConditionType = (typeof ConditionType)[keyof typeof ConditionType];

export const Reason = {
  StrategyNotFound: 'StrategyNotFound',
  PlacementRuleNotFound: 'PlacementRuleNotFound',
  NoOfferings: 'NoOfferings',
  OfferingsResolved: 'OfferingsResolved',
  Compiled: 'Compiled',
  ConstraintError: 'ConstraintError',
  ScalingUp: 'ScalingUp',
  ScalingDown: 'ScalingDown',
  AllReady: 'AllReady',
  MachinesNotReady: 'MachinesNotReady',
  WithinBudget: 'WithinBudget',
  BudgetExceeded: 'BudgetExceeded',
  Paused: 'Paused',
  DryRun: 'DryRun',
} as const;
export type Reason = (typeof Reason)[keyof typeof Reason];
