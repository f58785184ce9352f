import { describe, expect, it } from '@jest/globals';
import { ITEM_NONE } from './crush-map.js';
import { parseTestMap } from './load-testmap.js';
import { createMapper } from './mapper.js';
import type { ExpectedCase, ExpectedFile } from './vectors-fixture.js';
import { caseXs, readVector } from './vectors-fixture.js';

const maps = ['tree3', 'flat10'] as const;

function load(name: string) {
  const expected = readVector(`expected_${name}.json`) as ExpectedFile;
  const mapper = createMapper(parseTestMap(readVector(expected.map_file)));
  return { expected, mapper };
}

function mismatches(mapper: ReturnType<typeof createMapper>, c: ExpectedCase): string[] {
  const result = new Int32Array(c.result_max);
  const reweights = c.reweights ?? undefined;
  const wrong: string[] = [];
  caseXs(c).forEach((x, i) => {
    const n = mapper.doRule(c.rule, x, c.result_max, result, reweights);
    const got = Array.from(result.subarray(0, n));
    const want = c.results[i] ?? [];
    if (got.length !== want.length || got.some((v, k) => v !== want[k])) wrong.push(`x=${x}: got [${got.join(',')}] want [${want.join(',')}]`);
  });
  return wrong;
}

describe.each(maps)('every case of %s matches Ceph', (name) => {
  const { expected, mapper } = load(name);
  it.each(expected.cases.map((c) => [`case ${c.id}: rule ${c.rule} (${c.rule_name}) result_max ${c.result_max}${c.reweights ? ' with reweights' : ''}${Array.isArray(c.x) ? ' on the x list' : ''}`, c] as const))(
    '%s',
    (_, c) => {
      expect(c.results).toHaveLength(caseXs(c).length);
      expect(mismatches(mapper, c).slice(0, 5)).toEqual([]);
    },
  );
});

describe('the corner cases the vectors README points out', () => {
  const { mapper } = load('tree3');

  it('firstn returns a short result when a replica runs out of tries (case 2, x=5995)', () => {
    expect(mapper.mapInput(1, 5995, 3)).toEqual([7, 56]);
  });

  it('indep keeps a NONE hole in place (rule 5 wants 4 providers of 3)', () => {
    for (let x = 0; x < 200; x++) {
      const row = mapper.mapInput(5, x, 4);
      expect(row).toHaveLength(4);
      expect(row.filter((v) => v === ITEM_NONE)).toHaveLength(1);
    }
  });

  it('never places on device 28, whose CRUSH weight is 0', () => {
    for (let x = 0; x < 2000; x++) expect(mapper.mapInput(0, x, 4)).not.toContain(28);
  });

  it('reads x as its 32-bit pattern: 2^32 − 1 and −1 map alike', () => {
    expect(mapper.mapInput(0, 0xffffffff, 3)).toEqual(mapper.mapInput(0, -1, 3));
  });

  it('maps nothing for result_max 0 and refuses an unknown rule', () => {
    expect(mapper.mapInput(0, 1, 0)).toEqual([]);
    expect(() => mapper.mapInput(99, 1, 3)).toThrow('has no rule with id 99');
  });

  it('treats a device beyond the reweight vector as out', () => {
    const allButFirstTen = Array.from({ length: 10 }, () => 0x10000);
    for (let x = 0; x < 100; x++) for (const d of mapper.mapInput(0, x, 3, allButFirstTen)) expect(d).toBeLessThan(10);
  });
});
