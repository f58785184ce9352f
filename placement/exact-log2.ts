// floor(2^scaleBits · log2(num / den)) computed exactly enough to floor correctly.
//
// crush_ln's tables are fixed-point logarithms with 48 fractional bits; a double's Math.log2
// carries only ~52 significant bits, so a value like 2^48·log2(1 + k/128) can land a unit
// off. BigInt fixed point with 192 fractional bits leaves a margin far beyond any table entry.

const FRACTION_BITS = 192n;
const ONE = 1n << FRACTION_BITS;

/** ln(num/den) · 2^192 for num ≥ den > 0, via ln(q) = 2·atanh((q − 1)/(q + 1)). */
function lnFixed(num: bigint, den: bigint): bigint {
  // z ≤ 1/3 for q ≤ 2, so each term of the atanh series shrinks the sum by at least 9×.
  const z = ((num - den) << FRACTION_BITS) / (num + den);
  const zSquared = (z * z) >> FRACTION_BITS;
  let power = z;
  let sum = 0n;
  for (let k = 1n; power !== 0n; k += 2n) {
    sum += power / k;
    power = (power * zSquared) >> FRACTION_BITS;
  }
  return 2n * sum;
}

const LN2 = lnFixed(2n, 1n);

export function floorLog2Scaled(num: bigint, den: bigint, scaleBits: number): number {
  if (den <= 0n || num < den) throw new RangeError(`floorLog2Scaled needs num >= den > 0, got ${num}/${den}`);
  // Reduce q into [1, 2] so the series converges fast; whole powers of two add exactly.
  let whole = 0n;
  while (num >= 2n * den) {
    den *= 2n;
    whole += 1n;
  }
  const log2Fixed = (whole << FRACTION_BITS) + (lnFixed(num, den) * ONE) / LN2;
  return Number((log2Fixed << BigInt(scaleBits)) >> FRACTION_BITS);
}
