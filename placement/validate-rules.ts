// Rules must take something, choose among types that exist, and emit what they chose.

import type { CrushMap, CrushRule, RuleStep } from './crush-map.js';
import type { MapProblem } from './map-errors.js';
import { isInside } from './map-cycles.js';
import { itemName, ruleLabel, stepLabel } from './map-text.js';

export const MAX_RULE_ID = 0xffff;
const INT32_MIN = -0x80000000;
const INT32_MAX = 0x7fffffff;

export function ruleProblems(map: CrushMap): MapProblem[] {
  const problems: MapProblem[] = [];
  const seen = new Map<number, string>();
  for (const rule of map.rules) {
    const where = ruleLabel(rule);
    if (!Number.isInteger(rule.id) || rule.id < 0 || rule.id > MAX_RULE_ID) {
      problems.push({ kind: 'badId', where, id: rule.id, expected: `a rule id 0..${MAX_RULE_ID}` });
    }
    const other = seen.get(rule.id);
    if (other !== undefined) problems.push({ kind: 'duplicateId', where, id: rule.id, other });
    seen.set(rule.id, where);
    problems.push(...stepOrderProblems(map, rule), ...stepArgumentProblems(map, rule));
  }
  return problems;
}

function stepOrderProblems(map: CrushMap, rule: CrushRule): MapProblem[] {
  const where = ruleLabel(rule);
  const problems: MapProblem[] = [];
  const firstTake = rule.steps.findIndex((s) => s.op === 'take');
  const lastEmit = rule.steps.map((s) => s.op).lastIndexOf('emit');
  if (firstTake < 0) problems.push({ kind: 'ruleWithoutTake', where });
  if (lastEmit < 0) problems.push({ kind: 'ruleWithoutEmit', where });
  if (firstTake > 0) problems.push({ kind: 'stepBeforeTake', where: stepLabel(map, rule, 0) });
  if (lastEmit >= 0 && lastEmit < rule.steps.length - 1) {
    problems.push({ kind: 'stepAfterLastEmit', where: stepLabel(map, rule, lastEmit + 1) });
  }
  return problems;
}

function stepArgumentProblems(map: CrushMap, rule: CrushRule): MapProblem[] {
  const problems: MapProblem[] = [];
  const itemIds = new Set([...map.devices.map((d) => d.id), ...map.buckets.map((b) => b.id)]);
  const typeIds = new Set(map.types.map((t) => t.id));
  let taken: number | undefined;
  rule.steps.forEach((step: RuleStep, index) => {
    const where = stepLabel(map, rule, index);
    if (step.op === 'take' || step.op === 'use') {
      if (!itemIds.has(step.item)) problems.push({ kind: 'danglingTake', where, item: step.item });
      else if (step.op === 'use' && taken !== undefined && !isInside(map, step.item, taken)) {
        problems.push({ kind: 'useOutsideTake', where, root: `"${itemName(map, taken)}"` });
      }
      if (step.op === 'take') taken = step.item;
    } else if (step.op === 'choose') {
      if (!typeIds.has(step.typeId)) problems.push({ kind: 'unknownChooseType', where, typeId: step.typeId });
      if (!Number.isInteger(step.num) || step.num < INT32_MIN || step.num > INT32_MAX) {
        problems.push({ kind: 'format', where, expected: 'a 32-bit integer count' });
      }
    }
  });
  return problems;
}
