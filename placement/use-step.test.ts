import { describe, expect, it } from '@jest/globals';
import type { CrushMap, RuleStep } from './crush-map.js';
import { parseTestMap } from './load-testmap.js';
import { createMapper } from './mapper.js';
import { readVector } from './vectors-fixture.js';

const tree3 = parseTestMap(readVector('map_tree3.json'));
const idOf = (name: string) => tree3.buckets.find((b) => b.name === name)?.id ?? 0;
const chooseleafZones: RuleStep = { op: 'choose', mode: 'firstn', leaf: true, num: 0, typeId: 1 };

function withRules(...steps: RuleStep[][]): CrushMap {
  return { ...tree3, rules: steps.map((s, id) => ({ id, name: `r${id}`, steps: s })) };
}

describe('use: re-rooting inside a rule', () => {
  const p0 = idOf('p0');
  const mapper = createMapper(
    withRules(
      [{ op: 'take', item: -1 }, { op: 'use', item: p0 }, chooseleafZones, { op: 'emit' }],
      [{ op: 'take', item: p0 }, chooseleafZones, { op: 'emit' }],
    ),
  );

  it('maps exactly as a take of that bucket would', () => {
    for (let x = 0; x < 500; x++) expect(mapper.mapInput(0, x, 3)).toEqual(mapper.mapInput(1, x, 3));
  });

  it('keeps every result inside the named bucket', () => {
    const underP0 = new Set(tree3.buckets.filter((b) => b.name.startsWith('p0-r') && b.typeId === 1).flatMap((b) => b.items.map((i) => i.id)));
    for (let x = 0; x < 500; x++) for (const d of mapper.mapInput(0, x, 3)) expect(underP0.has(d)).toBe(true);
  });

  it('is refused when the bucket is not under the take', () => {
    const inP1 = idOf('p1-r0');
    expect(() => createMapper(withRules([{ op: 'take', item: p0 }, { op: 'use', item: inP1 }, { op: 'emit' }]))).toThrow(
      'step 2 "use p1-r0": the bucket is not inside "p0"',
    );
  });
});
