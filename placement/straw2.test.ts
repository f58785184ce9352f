import { describe, expect, it } from '@jest/globals';
import { straw2Choose, straw2Draw, ZERO_WEIGHT_DRAW } from './straw2.js';
import { readVector } from './vectors-fixture.js';

const rows = (readVector('straw2_draws.json') as { rows: number[][] }).rows;

describe('straw2 draws', () => {
  it('match every reference draw (u, ln and draw)', () => {
    expect(rows.length).toBe(400);
    const mismatches = rows.filter(([x, item, r, weight, u, ln, draw]) => {
      const got = straw2Draw(x ?? 0, item ?? 0, r ?? 0, weight ?? 0);
      return got.u !== u || got.ln !== ln || got.draw !== draw;
    });
    expect(mismatches).toEqual([]);
  });

  it('gives a zero weight the lowest draw of all', () => {
    expect(straw2Draw(1, 2, 3, 0).draw).toBe(ZERO_WEIGHT_DRAW);
  });
});

describe('straw2Choose', () => {
  const ids = Int32Array.from([0, 1, 2]);
  const choose = (weights: number[], x: number) => straw2Choose(ids, Float64Array.from(weights), 0, 3, x, 0);

  it('picks the item with the highest draw', () => {
    for (let x = 0; x < 50; x++) {
      const draws = [0, 1, 2].map((i) => straw2Draw(x, i, 0, 0x10000).draw);
      expect(choose([0x10000, 0x10000, 0x10000], x)).toBe(draws.indexOf(Math.max(...draws)));
    }
  });

  it('never picks a zero-weight item while another has weight', () => {
    for (let x = 0; x < 200; x++) expect(choose([0, 0x10000, 0], x)).toBe(1);
  });

  it('falls back to the first item when every weight is zero, as Ceph does', () => {
    expect(choose([0, 0, 0], 5)).toBe(0);
  });

  it('breaks a tie toward the lowest position', () => {
    const same = Int32Array.from([9, 9]);
    expect(straw2Choose(same, Float64Array.from([0x10000, 0x10000]), 0, 2, 4, 1)).toBe(0);
  });
});
