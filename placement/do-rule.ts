// Ceph's crush_do_rule: run a rule's steps over a working vector. Each choose step maps
// every bucket of the working vector to its chosen items; emit appends the vector to the
// result. Scratch vectors are owned by the runner and reused, so a mapping allocates nothing.

import { chooseFirstn } from './choose-firstn.js';
import { chooseIndep } from './choose-indep.js';
import type { CompiledMap, CompiledRule } from './compiled-map.js';
import { OP_CHOOSELEAF_FIRSTN, OP_CHOOSELEAF_INDEP, OP_CHOOSE_FIRSTN, OP_EMIT, OP_TAKE } from './compiled-map.js';
import type { ChooseContext } from './descend.js';
import type { Tracer } from './trace.js';

export interface RuleRunner {
  /** Writes at most resultMax items to result and returns how many. */
  run(
    rule: CompiledRule,
    x: number,
    resultMax: number,
    result: Int32Array,
    weights: ArrayLike<number> | undefined,
    tracer: Tracer | null,
  ): number;
}

/** One choose step's fixed inputs, reused across mappings. */
interface StepFrame {
  scratch: Int32Array;
  op: number;
  num: number;
  type: number;
  resultMax: number;
}

export function createRuleRunner(map: CompiledMap): RuleRunner {
  const ctx: ChooseContext = { map, x: 0, weights: undefined, tracer: null, depth: 0, emptyBucket: 0 };
  const frame: StepFrame = { scratch: new Int32Array(0), op: 0, num: 0, type: 0, resultMax: 0 };
  const run: RuleRunner['run'] = (rule, x, resultMax, result, weights, tracer) => {
    if (resultMax <= 0) return 0;
    if (frame.scratch.length < 3 * resultMax) frame.scratch = new Int32Array(3 * resultMax);
    const scratch = frame.scratch;
    ctx.x = x | 0;
    ctx.weights = weights;
    ctx.tracer = tracer;
    ctx.depth = 0;
    frame.resultMax = resultMax;
    // C's a, b, c: the working vector, the output vector, the leaves of chooseleaf.
    let w = 0;
    let o = resultMax;
    let wsize = 0;
    let resultLen = 0;
    const { ops, arg1, arg2 } = rule;
    for (let step = 0; step < ops.length; step++) {
      const op = ops[step] as number;
      if (tracer !== null) tracer.record({ kind: 'stepStart', step, input: Array.from(scratch.subarray(w, w + wsize)) });
      if (op === OP_TAKE) {
        scratch[w] = arg1[step] as number;
        wsize = 1;
      } else if (op === OP_EMIT) {
        for (let i = 0; i < wsize && resultLen < resultMax; i++) result[resultLen++] = scratch[w + i] as number;
        wsize = 0;
      } else if (wsize > 0) {
        frame.op = op;
        frame.num = arg1[step] as number;
        frame.type = arg2[step] as number;
        wsize = runChooseStep(ctx, frame, w, wsize, o);
        const swap = w;
        w = o;
        o = swap;
      }
      if (tracer !== null) tracer.record({ kind: 'stepEnd', step, output: Array.from(scratch.subarray(w, w + wsize)) });
    }
    return resultLen;
  };
  return { run };
}

/** Maps each bucket of the working vector at w into the output vector at o; returns its size. */
function runChooseStep(ctx: ChooseContext, frame: StepFrame, w: number, wsize: number, o: number): number {
  const { scratch, op, type, resultMax } = frame;
  const c = 2 * resultMax;
  const toLeaf = op === OP_CHOOSELEAF_FIRSTN || op === OP_CHOOSELEAF_INDEP;
  const firstn = op === OP_CHOOSE_FIRSTN || op === OP_CHOOSELEAF_FIRSTN;
  const tunables = ctx.map.tunables;
  const tries = tunables.chooseTotalTries + 1;
  // No set_chooseleaf_tries step exists in our rules, so C's choose_leaf_tries is 0.
  const firstnLeafTries = tunables.chooseleafDescendOnce !== 0 ? 1 : tries;
  let osize = 0;
  for (let i = 0; i < wsize; i++) {
    const numrep = frame.num > 0 ? frame.num : frame.num + resultMax;
    const item = scratch[w + i] as number;
    // Devices and NONE holes have nothing to choose from.
    if (numrep <= 0 || item >= 0) continue;
    const bucket = -1 - item;
    if (firstn) {
      osize = chooseFirstn(ctx, scratch, o + osize, scratch, c + osize, bucket, numrep, type, 0, resultMax - osize, tries, firstnLeafTries, toLeaf, 0) + osize;
    } else {
      const outSize = Math.min(numrep, resultMax - osize);
      chooseIndep(ctx, scratch, o + osize, scratch, c + osize, bucket, outSize, numrep, type, 0, tries, 1, toLeaf, 0);
      osize += outSize;
    }
  }
  if (toLeaf) scratch.copyWithin(o, c, c + osize);
  return osize;
}
