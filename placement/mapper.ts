// The way in to mapping: validate a map once, then map inputs x with its rules.

import type { CompiledMap, CompiledRule } from './compiled-map.js';
import { compileMap } from './compiled-map.js';
import type { CrushMap } from './crush-map.js';
import { createRuleRunner } from './do-rule.js';
import type { Tracer } from './trace.js';
import { validateMap } from './validate-map.js';

export interface Mapper {
  readonly map: CrushMap;
  /**
   * crush_do_rule: maps x (a u32; int32 alike) with rule `ruleId`, writing at most resultMax
   * items into `result` (length ≥ resultMax) and returning how many. `reweights` is Ceph's
   * per-device weight vector indexed by device id (0x10000 = in, 0 = out); omitted = all in.
   * Allocates nothing, so it suits tight loops; not reentrant from a tracer.
   */
  doRule(ruleId: number, x: number, resultMax: number, result: Int32Array, reweights?: ArrayLike<number>): number;
  /** doRule into a new array. */
  mapInput(ruleId: number, x: number, resultMax: number, reweights?: ArrayLike<number>): number[];
  /** doRule reporting every step, draw and retry to `tracer` (see explain.ts). */
  trace(ruleId: number, x: number, resultMax: number, tracer: Tracer, reweights?: ArrayLike<number>): number[];
}

export class UnknownRuleError extends Error {
  constructor(mapName: string, ruleId: number) {
    super(`CRUSH map "${mapName}" has no rule with id ${ruleId}`);
    this.name = 'UnknownRuleError';
  }
}

/** Validates `map` (throwing CrushMapError with every problem) and prepares it for mapping. */
export function createMapper(map: CrushMap): Mapper {
  validateMap(map);
  const compiled: CompiledMap = compileMap(map);
  const runner = createRuleRunner(compiled);
  const ruleOf = (ruleId: number): CompiledRule => {
    const rule = compiled.rules[ruleId];
    if (rule === undefined) throw new UnknownRuleError(map.name, ruleId);
    return rule;
  };
  const checkResultMax = (resultMax: number): void => {
    if (!Number.isInteger(resultMax) || resultMax < 0) throw new RangeError(`resultMax must be a non-negative integer, got ${resultMax}`);
  };
  const runToArray = (ruleId: number, x: number, resultMax: number, tracer: Tracer | null, reweights?: ArrayLike<number>) => {
    checkResultMax(resultMax);
    const result = new Int32Array(resultMax);
    const n = runner.run(ruleOf(ruleId), x, resultMax, result, reweights, tracer);
    return Array.from(result.subarray(0, n));
  };
  return {
    map,
    doRule: (ruleId, x, resultMax, result, reweights) => {
      if (result.length < resultMax) throw new RangeError(`result holds ${result.length} items, resultMax is ${resultMax}`);
      return runner.run(ruleOf(ruleId), x, resultMax, result, reweights, null);
    },
    mapInput: (ruleId, x, resultMax, reweights) => runToArray(ruleId, x, resultMax, null, reweights),
    trace: (ruleId, x, resultMax, tracer, reweights) => runToArray(ruleId, x, resultMax, tracer, reweights),
  };
}
