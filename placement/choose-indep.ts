// Ceph's crush_choose_indep: every position is filled independently, in rounds; a position
// that fails keeps its place and is retried next round with r + numrep·round, so one failure
// never shifts the others. Positions still empty after the last round hold ITEM_NONE.

import { ITEM_NONE } from './crush-map.js';
import type { ChooseContext } from './descend.js';
import { DEAD_END, EMPTY_BUCKET, descend, isOut } from './descend.js';

/** Ceph's CRUSH_ITEM_UNDEF: a position not decided yet. */
const ITEM_UNDEF = 0x7ffffffe;

/**
 * Fills positions outpos … outpos+left−1 of out[outBase…] with items of `type` under bucket
 * index `bucket`; with toLeaf also leaves[leavesBase…] with one device per position.
 */
export function chooseIndep(
  ctx: ChooseContext,
  out: Int32Array,
  outBase: number,
  leaves: Int32Array | null,
  leavesBase: number,
  bucket: number,
  left: number,
  numrep: number,
  type: number,
  outpos: number,
  tries: number,
  recurseTries: number,
  toLeaf: boolean,
  parentR: number,
): void {
  const endpos = outpos + left;
  for (let rep = outpos; rep < endpos; rep++) {
    out[outBase + rep] = ITEM_UNDEF;
    if (leaves !== null) leaves[leavesBase + rep] = ITEM_UNDEF;
  }
  for (let ftotal = 0; left > 0 && ftotal < tries; ftotal++) {
    for (let rep = outpos; rep < endpos; rep++) {
      if (out[outBase + rep] !== ITEM_UNDEF) continue;
      const r = rep + parentR + numrep * ftotal;
      const item = descend(ctx, bucket, type, r);
      if (item === EMPTY_BUCKET) {
        if (ctx.tracer !== null) ctx.tracer.record({ kind: 'reject', item: ctx.emptyBucket, reason: 'emptyBucket', rep, retry: ftotal, depth: ctx.depth });
        continue;
      }
      if (item === DEAD_END) {
        out[outBase + rep] = ITEM_NONE;
        if (leaves !== null) leaves[leavesBase + rep] = ITEM_NONE;
        left--;
        if (ctx.tracer !== null) ctx.tracer.record({ kind: 'giveUp', rep, retry: ftotal, reason: 'deadEnd', depth: ctx.depth });
        continue;
      }
      if (!placeable(ctx, out, outBase, leaves, leavesBase, item, type, outpos, endpos, rep, numrep, recurseTries, toLeaf, r, ftotal)) continue;
      out[outBase + rep] = item;
      left--;
      if (ctx.tracer !== null) ctx.tracer.record({ kind: 'accept', item, rep, retry: ftotal, depth: ctx.depth });
    }
  }
  for (let rep = outpos; rep < endpos; rep++) {
    if (out[outBase + rep] === ITEM_UNDEF) {
      out[outBase + rep] = ITEM_NONE;
      if (ctx.tracer !== null) ctx.tracer.record({ kind: 'hole', rep, depth: ctx.depth });
    }
    // A leaf found for an item that was then rejected stays, as in C.
    if (leaves !== null && leaves[leavesBase + rep] === ITEM_UNDEF) leaves[leavesBase + rep] = ITEM_NONE;
  }
}

/** Collision with any position of this call, then the leaf search, then is_out. */
function placeable(
  ctx: ChooseContext,
  out: Int32Array,
  outBase: number,
  leaves: Int32Array | null,
  leavesBase: number,
  item: number,
  type: number,
  outpos: number,
  endpos: number,
  rep: number,
  numrep: number,
  recurseTries: number,
  toLeaf: boolean,
  r: number,
  retry: number,
): boolean {
  const tracer = ctx.tracer;
  for (let i = outpos; i < endpos; i++) {
    if (out[outBase + i] !== item) continue;
    if (tracer !== null) tracer.record({ kind: 'collision', item, rep, retry, depth: ctx.depth });
    return false;
  }
  if (toLeaf && leaves !== null) {
    if (item >= 0) {
      leaves[leavesBase + rep] = item;
    } else {
      ctx.depth++;
      chooseIndep(ctx, leaves, leavesBase, null, 0, -1 - item, 1, numrep, 0, rep, recurseTries, 0, false, r);
      ctx.depth--;
      if (leaves[leavesBase + rep] === ITEM_NONE) {
        if (tracer !== null) tracer.record({ kind: 'reject', item, reason: 'noLeaf', rep, retry, depth: ctx.depth });
        return false;
      }
    }
  }
  if (type === 0 && isOut(ctx, item)) {
    if (tracer !== null) tracer.record({ kind: 'reject', item, reason: 'out', rep, retry, depth: ctx.depth });
    return false;
  }
  return true;
}
