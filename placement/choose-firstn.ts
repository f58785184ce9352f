// Ceph's crush_choose_firstn: fill replicas in order, retrying a replica with r + 1 on a
// collision or rejection; a replica that runs out of tries is skipped, so results shrink.
//
// Arrays are passed with base offsets (C passes `o + osize`) so nothing is allocated.

import type { ChooseContext } from './descend.js';
import { DEAD_END, EMPTY_BUCKET, descend, isOut } from './descend.js';

const ACCEPTED = 0;
const COLLIDED = 1;
const REJECTED_OUT = 2;
const REJECTED_NO_LEAF = 3;
const REJECTED_EMPTY = 4;

/**
 * Chooses up to numrep items of `type` under bucket index `bucket` into out[outBase + outpos…],
 * at most outSize of them. With toLeaf, each chosen bucket is also searched for one device
 * (recurseTries tries), written to leaves[leavesBase + position]. Returns the new outpos.
 */
export function chooseFirstn(
  ctx: ChooseContext,
  out: Int32Array,
  outBase: number,
  leaves: Int32Array,
  leavesBase: number,
  bucket: number,
  numrep: number,
  type: number,
  outpos: number,
  outSize: number,
  tries: number,
  recurseTries: number,
  toLeaf: boolean,
  parentR: number,
): number {
  let count = outSize;
  for (let rep = ctx.map.tunables.chooseleafStable !== 0 ? 0 : outpos; rep < numrep && count > 0; rep++) {
    for (let ftotal = 0; ; ftotal++) {
      const r = rep + parentR + ftotal;
      const item = descend(ctx, bucket, type, r);
      if (item === DEAD_END) {
        if (ctx.tracer !== null) ctx.tracer.record({ kind: 'giveUp', rep, retry: ftotal, reason: 'deadEnd', depth: ctx.depth });
        break;
      }
      const verdict =
        item === EMPTY_BUCKET
          ? REJECTED_EMPTY
          : judge(ctx, out, outBase, leaves, leavesBase, item, type, outpos, count, recurseTries, toLeaf, r);
      if (ctx.tracer !== null) traceVerdict(ctx, item, verdict, rep, ftotal);
      if (verdict === ACCEPTED) {
        out[outBase + outpos] = item;
        outpos++;
        count--;
        break;
      }
      if (ftotal + 1 >= tries) {
        if (ctx.tracer !== null) ctx.tracer.record({ kind: 'giveUp', rep, retry: ftotal, reason: 'triesExhausted', depth: ctx.depth });
        break;
      }
    }
  }
  return outpos;
}

/** Collision with earlier replicas, then the leaf search, then is_out, in C's order. */
function judge(
  ctx: ChooseContext,
  out: Int32Array,
  outBase: number,
  leaves: Int32Array,
  leavesBase: number,
  item: number,
  type: number,
  outpos: number,
  count: number,
  recurseTries: number,
  toLeaf: boolean,
  r: number,
): number {
  for (let i = 0; i < outpos; i++) if (out[outBase + i] === item) return COLLIDED;
  if (toLeaf) {
    if (item >= 0) leaves[leavesBase + outpos] = item;
    else if (!findLeaf(ctx, leaves, leavesBase, -1 - item, outpos, count, recurseTries, r)) return REJECTED_NO_LEAF;
  }
  if (type === 0 && isOut(ctx, item)) return REJECTED_OUT;
  return ACCEPTED;
}

/** chooseleaf's nested firstn for one device; it collides only with earlier leaves. */
function findLeaf(
  ctx: ChooseContext,
  leaves: Int32Array,
  leavesBase: number,
  bucket: number,
  outpos: number,
  count: number,
  tries: number,
  r: number,
): boolean {
  const { chooseleafVaryR: varyR, chooseleafStable: stable } = ctx.map.tunables;
  const subR = varyR > 0 ? r >> (varyR - 1) : 0;
  const numrep = stable !== 0 ? 1 : outpos + 1;
  ctx.depth++;
  const found = chooseFirstn(ctx, leaves, leavesBase, leaves, leavesBase, bucket, numrep, 0, outpos, count, tries, 0, false, subR);
  ctx.depth--;
  return found > outpos;
}

function traceVerdict(ctx: ChooseContext, item: number, verdict: number, rep: number, retry: number): void {
  const depth = ctx.depth;
  if (verdict === ACCEPTED) ctx.tracer?.record({ kind: 'accept', item, rep, retry, depth });
  else if (verdict === COLLIDED) ctx.tracer?.record({ kind: 'collision', item, rep, retry, depth });
  else if (verdict === REJECTED_EMPTY) ctx.tracer?.record({ kind: 'reject', item: ctx.emptyBucket, reason: 'emptyBucket', rep, retry, depth });
  else ctx.tracer?.record({ kind: 'reject', item, reason: verdict === REJECTED_OUT ? 'out' : 'noLeaf', rep, retry, depth });
}
