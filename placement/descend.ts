// The parts firstn and indep share: walking down to an item of the wanted type, and
// Ceph's is_out test against the reweight vector.

import type { CompiledMap } from './compiled-map.js';
import { crushHash32_2 } from './hash.js';
import { straw2Choose } from './straw2.js';
import type { Tracer } from './trace.js';

/** Mutable per-mapper state, reset for each mapping; one object so calls stay short. */
export interface ChooseContext {
  readonly map: CompiledMap;
  x: number;
  /** Ceph's weight vector by device id (weight_max = length); undefined = all in. */
  weights: ArrayLike<number> | undefined;
  tracer: Tracer | null;
  /** 0 in a rule step's own choice, 1 inside chooseleaf's search for the leaf. */
  depth: number;
  /** The id of the bucket behind the last EMPTY_BUCKET, for the trace. */
  emptyBucket: number;
}

/** descend() found a device where a bucket of a higher type was wanted (C: skip_rep / NONE). */
export const DEAD_END = 0x7fffffff;
/** descend() reached a bucket without items (C: reject, or retry the position). */
export const EMPTY_BUCKET = -0x80000000;

/**
 * From bucket index `bucket`, draw with r at each level until an item of `type` comes up.
 * Returns that item's id, DEAD_END or EMPTY_BUCKET. Terminates: the map is acyclic.
 */
export function descend(ctx: ChooseContext, bucket: number, type: number, r: number): number {
  const m = ctx.map;
  for (;;) {
    const size = m.bucketSize[bucket] as number;
    if (size === 0) {
      ctx.emptyBucket = -1 - bucket;
      return EMPTY_BUCKET;
    }
    const at = straw2Choose(m.itemHashIds, m.itemWeights, m.bucketStart[bucket] as number, size, ctx.x, r);
    const item = m.itemIds[at] as number;
    if (ctx.tracer !== null) ctx.tracer.record({ kind: 'draw', bucket: -1 - bucket, r, item, depth: ctx.depth });
    if (item >= m.maxDevices) return DEAD_END;
    const itemType = item < 0 ? (m.bucketType[-1 - item] as number) : 0;
    if (itemType === type) return item;
    if (item >= 0) return DEAD_END;
    bucket = -1 - item;
  }
}

/** Ceph's is_out: a partial reweight keeps a device for a hash-chosen share of inputs. */
export function isOut(ctx: ChooseContext, item: number): boolean {
  const weights = ctx.weights;
  if (weights === undefined) return false;
  if (item >= weights.length) return true;
  const weight = weights[item] as number;
  if (weight >= 0x10000) return false;
  if (weight === 0) return true;
  return (crushHash32_2(ctx.x, item) & 0xffff) >= weight;
}
