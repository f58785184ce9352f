import { describe, expect, it } from '@jest/globals';
import { crushHash32, crushHash32_2, crushHash32_3, crushHash32_4, crushHash32_5 } from './hash.js';
import { readVector } from './vectors-fixture.js';

type HashRows = Record<string, number[][]>;
const vectors = readVector<HashRows>('hash.json');
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
