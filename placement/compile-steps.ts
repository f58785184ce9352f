// PlacementRule steps → CRUSH rule steps over the domain tree's buckets and level types.

import type { RuleStep } from './crush-map.js';
import type { DomainTree } from './domain-tree.js';
import { levelTypeId } from './domain-tree.js';
import type { PlacementStepSpec } from './placement-spec.js';
import type { SpecProblem } from './spec-errors.js';
import { PlacementSpecError } from './spec-errors.js';

export function compileSteps(steps: readonly PlacementStepSpec[], levels: readonly string[], tree: DomainTree): RuleStep[] {
  const problems: SpecProblem[] = [];
  const compiled = steps.flatMap((step, i): RuleStep[] => {
    const where = `steps[${i}] (${step.op})`;
    const fail = (detail: string): RuleStep[] => {
      problems.push({ kind: 'step', where, detail });
      return [];
    };
    switch (step.op) {
      case 'emit':
        return [{ op: 'emit' }];
      case 'take':
      case 'use': {
        if (step.bucket === undefined) return fail('needs a bucket');
        const item = tree.bucketIds.get(step.bucket);
        if (item === undefined) return fail(`bucket "${step.bucket}" is neither "root" nor a domain path of the hierarchy`);
        return [{ op: step.op, item }];
      }
      case 'choose':
      case 'chooseleaf': {
        if (step.mode === undefined || step.type === undefined) return fail('needs a mode and a type');
        if (!levels.includes(step.type)) return fail(`type "${step.type}" is not one of the levels ${levels.join(', ')}`);
        const count = step.count ?? 0;
        if (!Number.isInteger(count)) return fail(`count ${count} is not an integer`);
        return [{ op: 'choose', mode: step.mode, leaf: step.op === 'chooseleaf', num: count, typeId: levelTypeId(levels, step.type) }];
      }
      default:
        return fail(`unknown op "${String((step as { op: unknown }).op)}"`);
    }
  });
  if (problems.length > 0) throw new PlacementSpecError(problems);
  return compiled;
}
