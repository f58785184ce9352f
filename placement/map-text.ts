// How maps, items and steps are named in errors, traces and the CLI.

import type { CrushMap, CrushRule, RuleStep } from './crush-map.js';
import { ITEM_NONE } from './crush-map.js';

export function typeName(map: CrushMap, typeId: number): string {
  return map.types.find((t) => t.id === typeId)?.name ?? `type#${typeId}`;
}

/** The name of a device or bucket, `NONE` for an indep hole, `#id` if the map lacks it. */
export function itemName(map: CrushMap, id: number): string {
  if (id === ITEM_NONE) return 'NONE';
  const named = id >= 0 ? map.devices.find((d) => d.id === id) : map.buckets.find((b) => b.id === id);
  return named?.name ?? `#${id}`;
}

/** A step as Ceph's crushtool would print it, e.g. `chooseleaf firstn 0 type zone`. */
export function stepText(map: CrushMap, step: RuleStep): string {
  switch (step.op) {
    case 'take':
    case 'use':
      return `${step.op} ${itemName(map, step.item)}`;
    case 'choose':
      return `${step.leaf ? 'chooseleaf' : 'choose'} ${step.mode} ${step.num} type ${typeName(map, step.typeId)}`;
    case 'emit':
      return 'emit';
    default:
      return assertNever(step);
  }
}

/** `rule "r0" (id 0) step 2 "chooseleaf firstn 0 type zone"`; steps count from 1. */
export function stepLabel(map: CrushMap, rule: CrushRule, index: number): string {
  const step = rule.steps[index];
  const text = step ? ` "${stepText(map, step)}"` : '';
  return `${ruleLabel(rule)} step ${index + 1}${text}`;
}

export function ruleLabel(rule: CrushRule): string {
  return `rule "${rule.name}" (id ${rule.id})`;
}

export function bucketLabel(name: string, id: number): string {
  return `bucket "${name}" (id ${id})`;
}

export function assertNever(value: never): never {
  throw new Error(`unexpected value ${JSON.stringify(value)}`);
}
