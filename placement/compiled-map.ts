// A validated map flattened into typed arrays, the layout the mapping hot path reads: no
// objects to chase, no allocation, bucket id → index as in C (index = −1 − id).

import type { CrushMap, CrushRule, RuleStep, Tunables } from './crush-map.js';

/** Ceph's rule opcodes; `use` runs as a take (validation already checked where it points). */
export const OP_TAKE = 1;
export const OP_CHOOSE_FIRSTN = 2;
export const OP_CHOOSE_INDEP = 3;
export const OP_EMIT = 4;
export const OP_CHOOSELEAF_FIRSTN = 6;
export const OP_CHOOSELEAF_INDEP = 7;

export interface CompiledRule {
  readonly ops: Int32Array;
  /** take: the item; choose: num */
  readonly arg1: Int32Array;
  /** choose: the type id */
  readonly arg2: Int32Array;
}

export interface CompiledMap {
  /** One past the highest device id: C's max_devices. */
  readonly maxDevices: number;
  /** Per bucket index; −1 where no bucket has that id. */
  readonly bucketType: Int32Array;
  readonly bucketStart: Int32Array;
  readonly bucketSize: Int32Array;
  /** Items of all buckets, back to back. */
  readonly itemIds: Int32Array;
  readonly itemHashIds: Int32Array;
  readonly itemWeights: Float64Array;
  /** By rule id. */
  readonly rules: readonly (CompiledRule | undefined)[];
  readonly tunables: Tunables;
}

export function compileMap(map: CrushMap): CompiledMap {
  const bucketCount = map.buckets.reduce((n, b) => Math.max(n, -1 - b.id + 1), 0);
  const itemCount = map.buckets.reduce((n, b) => n + b.items.length, 0);
  const bucketType = new Int32Array(bucketCount).fill(-1);
  const bucketStart = new Int32Array(bucketCount);
  const bucketSize = new Int32Array(bucketCount);
  const itemIds = new Int32Array(itemCount);
  const itemHashIds = new Int32Array(itemCount);
  const itemWeights = new Float64Array(itemCount);
  let next = 0;
  for (const bucket of map.buckets) {
    const index = -1 - bucket.id;
    bucketType[index] = bucket.typeId;
    bucketStart[index] = next;
    bucketSize[index] = bucket.items.length;
    for (const item of bucket.items) {
      itemIds[next] = item.id;
      itemHashIds[next] = item.hashId ?? item.id;
      itemWeights[next] = item.weight;
      next++;
    }
  }
  const rules: (CompiledRule | undefined)[] = [];
  for (const rule of map.rules) rules[rule.id] = compileRule(rule);
  return {
    maxDevices: map.devices.reduce((n, d) => Math.max(n, d.id + 1), 0),
    bucketType,
    bucketStart,
    bucketSize,
    itemIds,
    itemHashIds,
    itemWeights,
    rules,
    tunables: map.tunables,
  };
}

function compileRule(rule: CrushRule): CompiledRule {
  const n = rule.steps.length;
  const compiled = { ops: new Int32Array(n), arg1: new Int32Array(n), arg2: new Int32Array(n) };
  rule.steps.forEach((step, i) => {
    compiled.ops[i] = opcode(step);
    if (step.op === 'take' || step.op === 'use') compiled.arg1[i] = step.item;
    if (step.op === 'choose') {
      compiled.arg1[i] = step.num;
      compiled.arg2[i] = step.typeId;
    }
  });
  return compiled;
}

function opcode(step: RuleStep): number {
  if (step.op === 'take' || step.op === 'use') return OP_TAKE;
  if (step.op === 'emit') return OP_EMIT;
  if (step.mode === 'firstn') return step.leaf ? OP_CHOOSELEAF_FIRSTN : OP_CHOOSE_FIRSTN;
  return step.leaf ? OP_CHOOSELEAF_INDEP : OP_CHOOSE_INDEP;
}
