// Maps the reference vectors do not cover: empty buckets and devices above the wanted type.
import { describe, expect, it } from '@jest/globals';
import type { CrushMap, RuleStep } from './crush-map.js';
import { ITEM_NONE, OPTIMAL_TUNABLES } from './crush-map.js';
import { explainMapping } from './explain.js';
import { formatExplanation } from './explain-text.js';
import { createMapper } from './mapper.js';

/** root(-1) holds zone a(-2) with devices 0 and 1, the empty zone b(-3), and device 2 directly. */
function oddMap(steps: RuleStep[]): CrushMap {
  return {
    name: 'odd',
    tunables: OPTIMAL_TUNABLES,
    types: [
      { id: 0, name: 'device' },
      { id: 1, name: 'zone' },
      { id: 2, name: 'root' },
    ],
    devices: [0, 1, 2].map((id) => ({ id, name: `osd.${id}` })),
    buckets: [
      { id: -1, name: 'root', typeId: 2, items: [{ id: -2, weight: 0x10000 }, { id: -3, weight: 0x10000 }, { id: 2, weight: 0x10000 }] },
      { id: -2, name: 'a', typeId: 1, items: [{ id: 0, weight: 0x10000 }, { id: 1, weight: 0x10000 }] },
      { id: -3, name: 'b', typeId: 1, items: [] },
    ],
    rules: [{ id: 0, name: 'odd', steps }],
  };
}
const take: RuleStep = { op: 'take', item: -1 };
const emit: RuleStep = { op: 'emit' };

describe('a descent that meets a device above the wanted type', () => {
  it('skips the replica in firstn and leaves a hole in indep', () => {
    const firstn = createMapper(oddMap([take, { op: 'choose', mode: 'firstn', leaf: false, num: 3, typeId: 1 }, emit]));
    const indep = createMapper(oddMap([take, { op: 'choose', mode: 'indep', leaf: false, num: 3, typeId: 1 }, emit]));
    let holes = 0;
    for (let x = 0; x < 300; x++) {
      const f = firstn.mapInput(0, x, 3);
      expect(f.every((item) => item === -2 || item === -3)).toBe(true);
      const i = indep.mapInput(0, x, 3);
      expect(i).toHaveLength(3);
      holes += i.filter((item) => item === ITEM_NONE).length;
    }
    expect(holes).toBeGreaterThan(0);
  });

  it('says so in the trace', () => {
    const mapper = createMapper(oddMap([take, { op: 'choose', mode: 'firstn', leaf: false, num: 3, typeId: 1 }, emit]));
    const x = [...Array(300).keys()].find((v) => mapper.mapInput(0, v, 3).length < 2) ?? 0;
    expect(formatExplanation(explainMapping(mapper, 0, x, 3))).toContain('give up, the descent reached a device above the wanted type');
  });
});

describe('an empty bucket', () => {
  const mapper = createMapper(oddMap([take, { op: 'choose', mode: 'firstn', leaf: true, num: 0, typeId: 1 }, emit]));

  it('never yields a leaf, so chooseleaf only returns devices of the other zone', () => {
    for (let x = 0; x < 300; x++) for (const d of mapper.mapInput(0, x, 2)) expect([0, 1]).toContain(d);
  });

  it('shows up as a rejected leaf search in the trace', () => {
    const x = [...Array(300).keys()].find((v) =>
      explainMapping(mapper, 0, v, 2).steps[1]?.events.some((e) => e.kind === 'reject' && e.reason === 'emptyBucket'),
    );
    expect(x).toBeDefined();
    const text = formatExplanation(explainMapping(mapper, 0, x ?? 0, 2));
    expect(text).toContain('reject b, the bucket is empty; retry');
    expect(text).toContain('reject b, no usable device under it; retry');
  });
});
