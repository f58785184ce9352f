import { ConditionType, Reason, type Condition } from '../api/index.js';

/**
 * What a NodePool condition means, in a sentence a person watching the fleet understands, followed
 * by the controller's own message (which has the counts and names). Reasons with no sentence here
 * show the message alone, so a new reason is never hidden.
 */
const MEANING: Partial<Record<string, string>> = {
  [`${ConditionType.Ready}/True/${Reason.AllReady}`]: 'Every Machine the pool wants is running.',
  [`${ConditionType.Ready}/False/${Reason.MachinesNotReady}`]: 'Not every Machine is running yet.',
  [`${ConditionType.Ready}/False/${Reason.DryRun}`]: 'A dry run: nothing is created, the plan shows where Machines would go.',
  [`${ConditionType.Ready}/False/${Reason.StrategyNotFound}`]: 'The pool names a Strategy that does not exist.',
  [`${ConditionType.Ready}/False/${Reason.PlacementRuleNotFound}`]: 'The pool names a PlacementRule that does not exist.',
  [`${ConditionType.Ready}/False/${Reason.NoOfferings}`]: 'No offering of the Strategy fits: nothing can be created.',
  [`${ConditionType.Progressing}/True/${Reason.ScalingUp}`]: 'Creating Machines.',
  [`${ConditionType.Progressing}/True/${Reason.ScalingDown}`]: 'Removing Machines the pool no longer wants.',
  [`${ConditionType.Progressing}/True/${Reason.Replacing}`]: 'Replacing Machines that failed or were lost.',
  [`${ConditionType.Progressing}/True/${Reason.MachinesNotReady}`]: 'Waiting for Machines to start or to finish terminating.',
  [`${ConditionType.Progressing}/False/${Reason.Stable}`]: 'Nothing to do: the pool is as asked.',
  [`${ConditionType.Progressing}/False/${Reason.DryRun}`]: 'A dry run: nothing is created or deleted; the plan shows what would be.',
  [`${ConditionType.Progressing}/False/${Reason.Paused}`]: 'Paused: Machines are neither created nor deleted until the pool is resumed.',
  [`${ConditionType.Degraded}/True/${Reason.Unplaceable}`]: 'Some Machines have nowhere to go: no failure domain can take them now.',
  [`${ConditionType.Degraded}/True/${Reason.MachinesFailed}`]: 'Some Machines failed; they are being replaced.',
  [`${ConditionType.BudgetExceeded}/True/${Reason.BudgetExceeded}`]: 'Over budget: a Machine was not created because it would cost more than the Strategy\'s maxHourlyTotal.',
  [`${ConditionType.BudgetExceeded}/False/${Reason.WithinBudget}`]: 'Within budget.',
  [`${ConditionType.InvalidSpec}/True/${Reason.UnsupportedLevel}`]: 'The spec cannot be used: a failure-domain level is not supported.',
  [`${ConditionType.RemediationPaused}/True/${Reason.TooManyFailed}`]: 'Too many Machines failed recently: replacing them is paused so as not to make more that fail.',
  // The controller's message says it all: shown alone.
  [`${ConditionType.RemediationPaused}/False/${Reason.WithinLimit}`]: '',
};

/** Conditions that say all is well when False, and everything said about them is routine. */
const QUIET_WHEN_FALSE = new Set<string>([ConditionType.Degraded, ConditionType.InvalidSpec]);

export function conditionInWords(c: Pick<Condition, 'type' | 'status' | 'reason' | 'message'>): string {
  const meaning = MEANING[`${c.type}/${c.status}/${c.reason}`];
  if (c.status === 'False' && QUIET_WHEN_FALSE.has(c.type) && meaning === undefined) return c.type === ConditionType.Degraded ? 'Not degraded.' : 'The spec is valid.';
  if (meaning === undefined) return c.message === '' ? `${c.type} is ${c.status} (${c.reason}).` : `${c.type} is ${c.status} (${c.reason}): ${c.message}.`;
  if (meaning === '') return `${c.message.charAt(0).toUpperCase()}${c.message.slice(1)}.`;
  return c.message === '' ? meaning : `${meaning.replace(/\.$/, '')} (${c.message}).`;
}
