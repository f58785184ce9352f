// Where Ceph's crush_ln tables do not follow their formulas (see crush-ln.ts), as data.
//
// Derived from the reference outputs in test/vectors/crush/crush_ln.json, not copied from Ceph:
// with RH and LH regenerated from their formulas, every output crush_ln(u) pins
// LL[j] to a window of at most 16 values (the >> 4 drops four bits), and the
// 65,536 outputs fix each LL entry used to one value or a narrow window. Where the window
// holds the formula value, the formula stands; elsewhere the offset below is recorded
// (the lowest value of a wider window when the usual offset falls outside it). The test
// recomputes all 65,536 outputs from these tables.

/** Most of Ceph's LL entries sit exactly this far above floor(2^48·log2(1 + j/2^15)). */
export const LL_USUAL_OFFSET = 0x1_4770_0000;

/** LL entries j in [first, last] carry LL_USUAL_OFFSET, except the ones listed after. */
export const LL_OFFSET_RANGE: readonly [first: number, last: number] = [2, 242];
export const LL_FORMULA_INSIDE_RANGE: readonly number[] = [203, 216, 222, 233, 237, 238, 239];

/** [j, offset from the formula] for entries whose offset is neither 0 nor the usual one. */
export const LL_IRREGULAR_OFFSETS: readonly (readonly [number, number])[] = [
  [56, 5349423536], [127, 978272901], [134, 3588789669], [181, 4007963589],
  [184, 5423282367], [188, 2201924427], [193, 3829329171], [198, 2511158322],
  [199, 2670353280], [200, 3807665765], [207, 5045407031], [210, 4635559696],
  [212, 3670382108], [225, 3209098745], [227, 1514328394], [228, 2662093655],
  [229, 561838844], [231, 3537203772], [235, 4861921003], [236, 5281046906],
  [240, 2650193885], [241, 4203558265], [247, 362109528],
];

/**
 * LH[128] should be 2^48 (log2 of 2) but is 0xffff00000000 in Ceph, which makes
 * crush_ln(65535) smaller than crush_ln(65534). Only u = 65535 reads it, with LL[0] = 0, so
 * the reference output pins it to 0xffff00000000 … 0xffff0000000f; the lowest is kept.
 */
export const LH_128 = 0xffff_0000_0000;
