import { describe, expect, it } from '@jest/globals';
import { crushHash32, crushHash32_2, crushHash32_3, crushHash32_4, crushHash32_5 } from './hash.js';
import { crushHash32_3x4 } from './hash-x4.js';
import { readVector } from './vectors-fixture.js';

type HashRows = Record<string, number[][]>;
const vectors = readVector('hash.json') as HashRows;
const functions: [string, (...words: number[]) => number][] = [
  ['crush_hash32', crushHash32],
  ['crush_hash32_2', crushHash32_2],
  ['crush_hash32_3', crushHash32_3],
  ['crush_hash32_4', crushHash32_4],
  ['crush_hash32_5', crushHash32_5],
];

describe('rjenkins1 hashes match Ceph', () => {
  it.each(functions)('%s reproduces every reference row', (name, fn) => {
    const rows = vectors[name] ?? [];
    expect(rows.length).toBeGreaterThan(0);
    const mismatches = rows.filter((row) => fn(...row.slice(0, -1)) !== row[row.length - 1]);
    expect(mismatches).toEqual([]);
  });

  it('reads a negative id and its u32 form alike, and returns a u32', () => {
    expect(crushHash32_3(7, -1, 2)).toBe(crushHash32_3(7, 0xffffffff, 2));
    expect(crushHash32_2(0xffffffff, 0xfffffffe)).toBeGreaterThanOrEqual(0);
  });
});

describe('crushHash32_3x4, the four-lane hash straw2 uses', () => {
  it('equals crushHash32_3 in every lane, for every reference row and for mixed inputs', () => {
    const rows = vectors['crush_hash32_3'] ?? [];
    const out = new Int32Array(4);
    for (let i = 0; i + 3 < rows.length; i += 4) {
      // The lanes share a and c, so take a and c from the row and vary b over four rows.
      const [a = 0, , c = 0] = rows[i] ?? [];
      const bs = [0, 1, 2, 3].map((k) => rows[i + k]?.[1] ?? 0);
      crushHash32_3x4(a, bs[0] ?? 0, bs[1] ?? 0, bs[2] ?? 0, bs[3] ?? 0, c, out);
      expect(Array.from(out, (h) => h >>> 0)).toEqual(bs.map((b) => crushHash32_3(a, b, c)));
    }
    crushHash32_3x4(0xffffffff, -1, 0, 0x7fffffff, -0x80000000, 12, out);
    expect(Array.from(out, (h) => h >>> 0)).toEqual([-1, 0, 0x7fffffff, -0x80000000].map((b) => crushHash32_3(0xffffffff, b, 12)));
  });
});
