// straw2: every item draws a straw ln(u)/weight and the longest straw wins. An item's draw
// depends only on (x, its id, r, its weight), which is why changing one weight moves inputs
// only to or from that item.

import { crushHash32_3 } from './hash.js';
import { crushHash32_3x4 } from './hash-x4.js';
import { crushLn } from './crush-ln.js';

const TWO_48 = 2 ** 48;

/** crush_ln(u) − 2^48 for every 16-bit u: the numerator of a draw, always ≤ 0. */
export const STRAW2_LN: Float64Array = (() => {
  const table = new Float64Array(65536);
  for (let u = 0; u < 65536; u++) table[u] = crushLn(u) - TWO_48;
  return table;
})();

/**
 * The draw of a zero-weight item. C uses S64_MIN; every real draw is ≥ −2^48, so −Infinity
 * orders the same way and, like S64_MIN, still wins when it is the first item and all are 0.
 */
export const ZERO_WEIGHT_DRAW = Number.NEGATIVE_INFINITY;

export interface Straw2Draw {
  /** crush_hash32_3(x, id, r) & 0xffff */
  readonly u: number;
  /** crush_ln(u) − 2^48 */
  readonly ln: number;
  /** trunc(ln / weight), or ZERO_WEIGHT_DRAW for weight 0 */
  readonly draw: number;
}

/** One item's draw, with its parts; the explain trace and the tests use it. */
export function straw2Draw(x: number, id: number, r: number, weight: number): Straw2Draw {
  const u = crushHash32_3(x, id, r) & 0xffff;
  const ln = STRAW2_LN[u] ?? 0;
  // C divides as signed 64-bit, truncating toward zero. |ln| < 2^49 and weight ≥ 1, so the
  // double quotient is within 2^-5/weight of the true one and cannot cross an integer.
  return { u, ln, draw: weight === 0 ? ZERO_WEIGHT_DRAW : Math.trunc(ln / weight) };
}

const lanes = new Int32Array(4);

/**
 * The winning position among items start … start+size−1 of flat arrays (size ≥ 1). Ties go
 * to the lowest position, as in Ceph (a later item must draw strictly more); a lone item wins
 * without a draw, whatever its weight, as it does in C.
 *
 * The hot loop of every mapping: items are hashed four at a time (see hash-x4.ts); a short
 * last block repeats the first id in its unused lanes and ignores them.
 */
export function straw2Choose(
  hashIds: Int32Array,
  weights: Float64Array,
  start: number,
  size: number,
  x: number,
  r: number,
): number {
  if (size === 1) return start;
  let best = start;
  let bestDraw = ZERO_WEIGHT_DRAW;
  const end = start + size;
  for (let i = start; i < end; i += 4) {
    const n = Math.min(4, end - i);
    const id0 = hashIds[i] as number;
    const id1 = n > 1 ? (hashIds[i + 1] as number) : id0;
    const id2 = n > 2 ? (hashIds[i + 2] as number) : id0;
    const id3 = n > 3 ? (hashIds[i + 3] as number) : id0;
    crushHash32_3x4(x, id0, id1, id2, id3, r, lanes);
    for (let k = 0; k < n; k++) {
      const weight = weights[i + k] as number;
      // C divides as signed 64-bit, truncating toward zero; exact here, see straw2Draw.
      const draw = weight === 0 ? ZERO_WEIGHT_DRAW : Math.trunc((STRAW2_LN[(lanes[k] as number) & 0xffff] as number) / weight);
      if (i + k === start || draw > bestDraw) {
        best = i + k;
        bestDraw = draw;
      }
    }
  }
  return best;
}
