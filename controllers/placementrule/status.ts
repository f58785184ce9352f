import { ConditionType, Reason } from '../../api/index.js';
import type { PlacementRule, PlacementRuleStatus } from '../../api/index.js';
import type { LeafDomain } from '../../placement/index.js';
import { findCondition, setCondition } from '../shared/index.js';
import type { NewCondition } from '../shared/index.js';
import type { RuleUsers } from './rule-users.js';

/** The most domains status.domains lists (the API's bound); domainCount always has them all. */
export const STATUS_DOMAINS = 1024;

/** What reconciling a rule found. */
export type RuleOutcome =
  | { readonly kind: 'invalid'; readonly reason: typeof Reason.UnsupportedLevel | typeof Reason.ConstraintError; readonly message: string }
  | { readonly kind: 'unused' }
  | { readonly kind: 'compiled'; readonly leaves: readonly LeafDomain[]; readonly users: RuleUsers; readonly problems: readonly string[] };

const SPEC_VALID: NewCondition = { type: ConditionType.InvalidSpec, status: 'False', reason: Reason.SpecValid, message: 'the rule compiles' };

/** The status a PlacementRule should have for `outcome`; pure, so a reconcile writes it only if it differs. */
export function placementRuleStatus(rule: PlacementRule, outcome: RuleOutcome, now: Date): PlacementRuleStatus {
  const generation = rule.metadata.generation ?? 0;
  const leaves = outcome.kind === 'compiled' ? outcome.leaves : [];
  const [ready, invalid] = conditionsFor(outcome);
  return {
    observedGeneration: generation,
    domainCount: leaves.length,
    domains: leaves.slice(0, STATUS_DOMAINS).map(({ path, weight }) => ({ path, weight })),
    conditions: setCondition(setCondition(rule.status?.conditions, ready, generation, now), invalid, generation, now),
  };
}

/** True when the rule just became invalid: the moment for a Warning event. */
export function becameInvalid(before: PlacementRuleStatus | undefined, after: PlacementRuleStatus): boolean {
  return findCondition(before?.conditions, ConditionType.InvalidSpec)?.status !== 'True' && findCondition(after.conditions, ConditionType.InvalidSpec)?.status === 'True';
}

function conditionsFor(outcome: RuleOutcome): [NewCondition, NewCondition] {
  switch (outcome.kind) {
    case 'invalid':
      return [
        { type: ConditionType.Ready, status: 'False', reason: outcome.reason, message: outcome.message },
        { type: ConditionType.InvalidSpec, status: 'True', reason: outcome.reason, message: outcome.message },
      ];
    case 'unused':
      return [{ type: ConditionType.Ready, status: 'True', reason: Reason.Compiled, message: 'not used by any NodePool; the rule compiles on its own' }, SPEC_VALID];
    case 'compiled':
      return [compiledReady(outcome.leaves, outcome.users, outcome.problems), SPEC_VALID];
    default:
      return assertNever(outcome);
  }
}

function compiledReady(leaves: readonly LeafDomain[], users: RuleUsers, problems: readonly string[]): NewCondition {
  const used = `used by ${plural(users.pools.length, 'NodePool')} (${users.pools.join(', ')}) through ${strategiesText(users)}`;
  const notes = [
    ...(users.missingStrategies.length === 0 ? [] : [`Strategies not found: ${users.missingStrategies.join(', ')}`]),
    ...problems,
  ];
  const noteText = notes.length === 0 ? '' : `; ${notes.join('; ')}`;
  if (leaves.length === 0) {
    return { type: ConditionType.Ready, status: 'False', reason: Reason.NoOfferings, message: `no failure domain: the rule is ${used}, which resolve no offerings${noteText}` };
  }
  const live = leaves.filter((l) => l.weight > 0).length;
  const drained = leaves.length - live;
  const drainedText = drained === 0 ? '' : ` (${drained} drained)`;
  return { type: ConditionType.Ready, status: 'True', reason: Reason.Compiled, message: `${plural(leaves.length, 'leaf domain')}${drainedText}; ${used}${noteText}` };
}

function strategiesText(users: RuleUsers): string {
  const names = users.strategies.map((s) => s.metadata.name);
  return names.length === 0 ? 'no existing Strategy' : `${names.length === 1 ? 'Strategy' : 'Strategies'} ${names.join(', ')}`;
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

function assertNever(value: never): never {
  throw new Error(`unexpected rule outcome: ${JSON.stringify(value)}`);
}
