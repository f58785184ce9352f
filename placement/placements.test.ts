import { describe, expect, it } from '@jest/globals';
import { parseTestMap } from './load-testmap.js';
import { createMapper } from './mapper.js';
import { placements } from './placements.js';
import { readVector } from './vectors-fixture.js';

const mapper = createMapper(parseTestMap(readVector('map_tree3.json')));

describe('placements', () => {
  it('yields x = 0, 1, 2, … lazily with the same results as doRule', () => {
    const seen: number[] = [];
    for (const p of placements(mapper, 0, 3)) {
      expect(p.result).toEqual(mapper.mapInput(0, p.x, 3));
      seen.push(p.x);
      if (seen.length === 5) break;
    }
    expect(seen).toEqual([0, 1, 2, 3, 4]);
  });

  it('starts where asked, honours reweights, and does not stop at 2^32', () => {
    const reweights = Array.from({ length: 59 }, (_, d) => (d < 30 ? 0x10000 : 0));
    const it = placements(mapper, 2, 4, { start: 2 ** 32 - 1, reweights });
    const last = it.next().value;
    const wrapped = it.next().value;
    expect(last).toEqual({ x: 2 ** 32 - 1, result: mapper.mapInput(2, -1, 4, reweights) });
    expect(wrapped).toEqual({ x: 2 ** 32, result: mapper.mapInput(2, 0, 4, reweights) });
  });
});
