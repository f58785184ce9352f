// crush_ln: Ceph's fixed-point 2^44·log2(u + 1) for 16-bit u, bit for bit.
//
// The value is split as exponent + log2(mantissa): x = u + 1 is normalised into
// [2^15, 2^16], k = (x >> 8) − 128 picks a coarse step (reciprocal RH[k], log LH[k]),
// the residual x·RH[k] / 2^48 lands just above 2^15 and its low byte j picks a fine step
// LL[j]. The tables are regenerated from their formulas:
//   RH[k] = ceil(2^55 / (128 + k))           k = 0..128
//   LH[k] = floor(2^48 · log2(1 + k/128))    k = 0..128
//   LL[j] = floor(2^48 · log2(1 + j/2^15))   j = 0..255
// and Ceph's deviations from them (most of LL, and LH[128]) come from crush-ln-data.ts.

import { floorLog2Scaled } from './exact-log2.js';
import {
  LH_128,
  LL_FORMULA_INSIDE_RANGE,
  LL_IRREGULAR_OFFSETS,
  LL_OFFSET_RANGE,
  LL_USUAL_OFFSET,
} from './crush-ln-data.js';

const TWO_24 = 2 ** 24;
const TWO_44 = 2 ** 44;

function buildRh(): Float64Array {
  const rh = new Float64Array(129);
  for (let k = 0; k <= 128; k++) {
    const d = BigInt(128 + k);
    rh[k] = Number(((1n << 55n) + d - 1n) / d);
  }
  return rh;
}

function buildLh(): Float64Array {
  const lh = new Float64Array(129);
  for (let k = 0; k < 128; k++) lh[k] = floorLog2Scaled(BigInt(128 + k), 128n, 48);
  lh[128] = LH_128;
  return lh;
}

function buildLl(): Float64Array {
  const ll = new Float64Array(256);
  const [first, last] = LL_OFFSET_RANGE;
  for (let j = 0; j < 256; j++) {
    const usual = j >= first && j <= last && !LL_FORMULA_INSIDE_RANGE.includes(j);
    ll[j] = floorLog2Scaled(BigInt(32768 + j), 32768n, 48) + (usual ? LL_USUAL_OFFSET : 0);
  }
  for (const [j, offset] of LL_IRREGULAR_OFFSETS) ll[j] = floorLog2Scaled(BigInt(32768 + j), 32768n, 48) + offset;
  return ll;
}

const RH = buildRh();
const LH = buildLh();
const LL = buildLl();

/** floor(x · rh / 2^48) without a 64-bit product: x ≤ 2^16 and rh < 2^49 overflow a double. */
function mulShift48(x: number, rh: number): number {
  const high = Math.floor(rh / TWO_24);
  const low = rh - high * TWO_24;
  return Math.floor((x * high + Math.floor((x * low) / TWO_24)) / TWO_24);
}

/** crush_ln(u) for u in 0..65535; a u64 below 2^48, so exact as a number. */
export function crushLn(u: number): number {
  if (!Number.isInteger(u) || u < 0 || u > 0xffff) throw new RangeError(`crushLn takes 0..65535, got ${u}`);
  let x = u + 1;
  let exponent = 15;
  if ((x & 0x18000) === 0) {
    const bits = Math.clz32(x & 0x1ffff) - 16;
    x <<= bits;
    exponent = 15 - bits;
  }
  const k = (x >> 8) - 128;
  const j = mulShift48(x, RH[k] ?? 0) & 0xff;
  const mantissa = Math.floor(((LH[k] ?? 0) + (LL[j] ?? 0)) / 16);
  // C ORs the exponent into bits 44..47; spelled out so a mantissa ≥ 2^44 would merge the same way.
  const carry = Math.floor(mantissa / TWO_44);
  return (exponent | carry) * TWO_44 + (mantissa - carry * TWO_44);
}
