// straw2: every item draws a straw ln(u)/weight and the longest straw wins. An item's draw
// depends only on (x, its id, r, its weight), which is why changing one weight moves inputs
// only to or from that item.

import { crushHash32_3 } from './hash.js';
import { crushLn } from './crush-ln.js';

const TWO_48 = 2 ** 48;
const SEED = 1315423911;
const X0 = 231232;
const Y0 = 1232;

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

/**
 * The winning position among items start … start+size−1 of flat arrays (size ≥ 1). Ties go
 * to the lowest position, as in Ceph (a later item must draw strictly more).
 *
 * This is the hot loop of every mapping. crush_hash32_3(x, id, r) is written out inline
 * (same rounds as hash.ts, where it is documented) because V8 will not inline a function
 * that large, and a call per item cost a third of the mapping time; inline, the CPU also
 * overlaps the hashes of consecutive items. The straw2 draw vectors and the full mapping
 * vectors both exercise this copy.
 */
export function straw2Choose(
  hashIds: Int32Array,
  weights: Float64Array,
  start: number,
  size: number,
  x: number,
  r: number,
): number {
  let best = start;
  let bestDraw = ZERO_WEIGHT_DRAW;
  const end = start + size;
  const xr = (SEED ^ x ^ r) | 0;
  for (let i = start; i < end; i++) {
    const weight = weights[i] as number;
    let draw = ZERO_WEIGHT_DRAW;
    if (weight !== 0) {
      let a = x | 0;
      let b = hashIds[i] as number;
      let c = r | 0;
      let h = xr ^ b;
      let hx = X0;
      let hy = Y0;
      a = (a - b - h) ^ (h >>> 13); b = (b - h - a) ^ (a << 8); h = (h - a - b) ^ (b >>> 13);
      a = (a - b - h) ^ (h >>> 12); b = (b - h - a) ^ (a << 16); h = (h - a - b) ^ (b >>> 5);
      a = (a - b - h) ^ (h >>> 3); b = (b - h - a) ^ (a << 10); h = (h - a - b) ^ (b >>> 15);
      c = (c - hx - h) ^ (h >>> 13); hx = (hx - h - c) ^ (c << 8); h = (h - c - hx) ^ (hx >>> 13);
      c = (c - hx - h) ^ (h >>> 12); hx = (hx - h - c) ^ (c << 16); h = (h - c - hx) ^ (hx >>> 5);
      c = (c - hx - h) ^ (h >>> 3); hx = (hx - h - c) ^ (c << 10); h = (h - c - hx) ^ (hx >>> 15);
      hy = (hy - a - h) ^ (h >>> 13); a = (a - h - hy) ^ (hy << 8); h = (h - hy - a) ^ (a >>> 13);
      hy = (hy - a - h) ^ (h >>> 12); a = (a - h - hy) ^ (hy << 16); h = (h - hy - a) ^ (a >>> 5);
      hy = (hy - a - h) ^ (h >>> 3); a = (a - h - hy) ^ (hy << 10); h = (h - hy - a) ^ (a >>> 15);
      b = (b - hx - h) ^ (h >>> 13); hx = (hx - h - b) ^ (b << 8); h = (h - b - hx) ^ (hx >>> 13);
      b = (b - hx - h) ^ (h >>> 12); hx = (hx - h - b) ^ (b << 16); h = (h - b - hx) ^ (hx >>> 5);
      b = (b - hx - h) ^ (h >>> 3); hx = (hx - h - b) ^ (b << 10); h = (h - b - hx) ^ (hx >>> 15);
      hy = (hy - c - h) ^ (h >>> 13); c = (c - h - hy) ^ (hy << 8); h = (h - hy - c) ^ (c >>> 13);
      hy = (hy - c - h) ^ (h >>> 12); c = (c - h - hy) ^ (hy << 16); h = (h - hy - c) ^ (c >>> 5);
      hy = (hy - c - h) ^ (h >>> 3); c = (c - h - hy) ^ (hy << 10); h = (h - hy - c) ^ (c >>> 15);
      draw = Math.trunc((STRAW2_LN[h & 0xffff] as number) / weight);
    }
    if (i === start || draw > bestDraw) {
      best = i;
      bestDraw = draw;
    }
  }
  return best;
}
