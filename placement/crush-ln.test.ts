import { describe, expect, it } from '@jest/globals';
import { crushLn } from './crush-ln.js';
import { LH_128, LL_IRREGULAR_OFFSETS } from './crush-ln-data.js';
import { floorLog2Scaled } from './exact-log2.js';
import { readVector } from './vectors-fixture.js';

const reference = (readVector('crush_ln.json') as { values: number[] }).values;

describe('crushLn', () => {
  it('equals Ceph for every input 0..65535', () => {
    expect(reference).toHaveLength(65536);
    const mismatches: number[] = [];
    for (let u = 0; u < 65536; u++) if (crushLn(u) !== reference[u]) mismatches.push(u);
    expect(mismatches).toEqual([]);
  });

  it('keeps the LH[128] quirk: the last value is below its predecessor', () => {
    expect(crushLn(65534)).toBe(0xfffffd61ad10);
    expect(crushLn(65535)).toBe(0xfffff0000000);
    expect(LH_128).toBeLessThan(2 ** 48);
  });

  it('rejects inputs outside 16 bits instead of reading past the tables', () => {
    expect(() => crushLn(65536)).toThrow(RangeError);
    expect(() => crushLn(-1)).toThrow(RangeError);
  });
});

describe('the table data carries only real deviations', () => {
  it('lists no LL offset that the formula already gives', () => {
    expect(LL_IRREGULAR_OFFSETS.every(([, offset]) => offset !== 0)).toBe(true);
  });

  it('regenerates exact logarithms, including the whole powers of two', () => {
    expect(floorLog2Scaled(1n, 1n, 48)).toBe(0);
    expect(floorLog2Scaled(256n, 128n, 48)).toBe(2 ** 48);
    expect(floorLog2Scaled(129n, 128n, 48)).toBe(3160191458785);
  });
});
