// crushha's streaming idea: placements for x = start, start+1, … on demand, without end.

import type { Mapper } from './mapper.js';

export interface InputPlacement {
  readonly x: number;
  readonly result: readonly number[];
}

export interface PlacementsOptions {
  /** First x; 0 by default. */
  readonly start?: number;
  readonly reweights?: ArrayLike<number>;
}

/**
 * Lazily maps x = start, start + 1, … with one rule. It never finishes: take what you need
 * (`for … of` with a break, or an iterator helper). CRUSH reads x as 32 bits, so past
 * 2^32 − 1 the results repeat those of x mod 2^32, while `x` keeps counting.
 */
export function* placements(
  mapper: Mapper,
  ruleId: number,
  resultMax: number,
  options: PlacementsOptions = {},
): Generator<InputPlacement, never, undefined> {
  const result = new Int32Array(resultMax);
  for (let x = options.start ?? 0; ; x++) {
    const n = mapper.doRule(ruleId, x % 2 ** 32, resultMax, result, options.reweights);
    yield { x, result: Array.from(result.subarray(0, n)) };
  }
}
