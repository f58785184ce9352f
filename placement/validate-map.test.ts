import { describe, expect, it } from '@jest/globals';
import type { CrushBucket, CrushMap, CrushRule } from './crush-map.js';
import { OPTIMAL_TUNABLES } from './crush-map.js';
import { CrushMapError } from './map-errors.js';
import { createMapper } from './mapper.js';
import { mapProblems, validateMap } from './validate-map.js';

/** root(-1) → zones a(-2), b(-3) → devices 0..3 */
function smallMap(): CrushMap {
  return {
    name: 'small',
    tunables: OPTIMAL_TUNABLES,
    types: [
      { id: 0, name: 'device' },
      { id: 1, name: 'zone' },
      { id: 2, name: 'root' },
    ],
    devices: [0, 1, 2, 3].map((id) => ({ id, name: `osd.${id}` })),
    buckets: [
      { id: -1, name: 'root', typeId: 2, items: [{ id: -2, weight: 0x20000 }, { id: -3, weight: 0x20000 }] },
      { id: -2, name: 'a', typeId: 1, items: [{ id: 0, weight: 0x10000 }, { id: 1, weight: 0x10000 }] },
      { id: -3, name: 'b', typeId: 1, items: [{ id: 2, weight: 0x10000 }, { id: 3, weight: 0x10000 }] },
    ],
    rules: [
      {
        id: 0,
        name: 'spread',
        steps: [{ op: 'take', item: -1 }, { op: 'choose', mode: 'firstn', leaf: true, num: 0, typeId: 1 }, { op: 'emit' }],
      },
    ],
  };
}

const withBucket = (map: CrushMap, id: number, change: (b: CrushBucket) => CrushBucket): CrushMap => ({
  ...map,
  buckets: map.buckets.map((b) => (b.id === id ? change(b) : b)),
});
const withRule = (map: CrushMap, rule: CrushRule): CrushMap => ({ ...map, rules: [rule] });

function errorOf(map: CrushMap): CrushMapError {
  try {
    validateMap(map);
  } catch (e) {
    if (e instanceof CrushMapError) return e;
    throw e;
  }
  throw new Error('the map was accepted');
}

describe('validateMap accepts a sound map', () => {
  it('and the mapper maps with it', () => {
    expect(mapProblems(smallMap())).toEqual([]);
    expect(createMapper(smallMap()).mapInput(0, 7, 2)).toHaveLength(2);
  });
});

describe('validateMap rejects, naming the bucket or step', () => {
  const base = smallMap();
  it.each([
    {
      name: 'an unknown bucket type',
      map: withBucket(base, -2, (b) => ({ ...b, typeId: 9 })),
      kind: 'unknownType',
      message: 'bucket "a" (id -2): type id 9 is not declared in types',
    },
    {
      name: 'a bucket of the device type',
      map: withBucket(base, -2, (b) => ({ ...b, typeId: 0 })),
      kind: 'deviceTypeBucket',
      message: 'bucket "a" (id -2): has type id 0, which is reserved for devices',
    },
    {
      name: 'a dangling item',
      map: withBucket(base, -3, (b) => ({ ...b, items: [...b.items, { id: 42, weight: 1 }] })),
      kind: 'danglingItem',
      message: 'bucket "b" (id -3): item 42 is neither a device nor a bucket of this map',
    },
    {
      name: 'a duplicate bucket id',
      map: { ...base, buckets: [...base.buckets, { id: -2, name: 'c', typeId: 1, items: [] }] },
      kind: 'duplicateId',
      message: 'bucket "c" (id -2): id -2 is already used by bucket "a" (id -2)',
    },
    {
      name: 'a duplicate device id',
      map: { ...base, devices: [...base.devices, { id: 3, name: 'osd.x' }] },
      kind: 'duplicateId',
      message: 'device "osd.x": id 3 is already used by device "osd.3"',
    },
    {
      name: 'an item listed twice',
      map: withBucket(base, -2, (b) => ({ ...b, items: [...b.items, { id: 0, weight: 1 }] })),
      kind: 'duplicateItem',
      message: 'bucket "a" (id -2): item 0 is listed twice',
    },
    {
      name: 'a cycle',
      map: withBucket(base, -2, (b) => ({ ...b, items: [...b.items, { id: -1, weight: 1 }] })),
      kind: 'cycle',
      message: 'buckets contain each other: root -> a -> root',
    },
    {
      name: 'a weight sum past 32 bits',
      map: withBucket(base, -3, (b) => ({ ...b, items: b.items.map((i) => ({ ...i, weight: 0xc0000000 })) })),
      kind: 'weightOverflow',
      message: 'bucket "b" (id -3): item weights sum to 6442450944, past the 32-bit limit 4294967295',
    },
    {
      name: 'a fractional weight',
      map: withBucket(base, -3, (b) => ({ ...b, items: [{ id: 2, weight: 1.5 }] })),
      kind: 'badWeight',
      message: 'bucket "b" (id -3): item 2 has weight 1.5',
    },
    {
      name: 'a rule without take',
      map: withRule(base, { id: 0, name: 'lost', steps: [{ op: 'emit' }] }),
      kind: 'ruleWithoutTake',
      message: 'rule "lost" (id 0): has no take step',
    },
    {
      name: 'a rule without emit',
      map: withRule(base, { id: 0, name: 'mute', steps: [{ op: 'take', item: -1 }] }),
      kind: 'ruleWithoutEmit',
      message: 'rule "mute" (id 0): has no emit step',
    },
    {
      name: 'a choose type that does not exist',
      map: withRule(base, {
        id: 0,
        name: 'racks',
        steps: [{ op: 'take', item: -1 }, { op: 'choose', mode: 'indep', leaf: false, num: 2, typeId: 7 }, { op: 'emit' }],
      }),
      kind: 'unknownChooseType',
      message: 'rule "racks" (id 0) step 2 "choose indep 2 type type#7": type id 7 is not declared in types',
    },
    {
      name: 'a take of a missing bucket',
      map: withRule(base, { id: 0, name: 'ghost', steps: [{ op: 'take', item: -9 }, { op: 'emit' }] }),
      kind: 'danglingTake',
      message: 'rule "ghost" (id 0) step 1 "take #-9": item -9 is neither a device nor a bucket',
    },
    {
      name: 'a use outside the taken subtree',
      map: withRule(base, { id: 0, name: 'escape', steps: [{ op: 'take', item: -2 }, { op: 'use', item: -3 }, { op: 'emit' }] }),
      kind: 'useOutsideTake',
      message: 'rule "escape" (id 0) step 2 "use b": the bucket is not inside "a", the bucket taken before it',
    },
    {
      name: 'steps after the last emit',
      map: withRule(base, { id: 0, name: 'tail', steps: [{ op: 'take', item: -1 }, { op: 'emit' }, { op: 'take', item: -2 }] }),
      kind: 'stepAfterLastEmit',
      message: 'rule "tail" (id 0) step 3 "take a": comes after the last emit',
    },
    {
      name: 'legacy local retries',
      map: { ...base, tunables: { ...base.tunables, chooseLocalTries: 2 } },
      kind: 'badTunable',
      message: 'tunable choose_local_tries: 2 is not supported',
    },
    {
      name: 'an unbounded number of tries',
      map: { ...base, tunables: { ...base.tunables, chooseTotalTries: 1e9 } },
      kind: 'badTunable',
      message: 'tunable choose_total_tries: 1000000000 is not supported, expected an integer 0..10000',
    },
  ])('$name', ({ map, kind, message }) => {
    const error = errorOf(map);
    expect(error.problems.map((p) => p.kind)).toContain(kind);
    expect(error.message).toContain(message);
    expect(error.message).toContain('invalid CRUSH map "small"');
  });

  it('lists every problem at once', () => {
    const broken = withBucket(withBucket(base, -2, (b) => ({ ...b, typeId: 9 })), -3, (b) => ({ ...b, items: [{ id: 99, weight: 1 }] }));
    expect(errorOf(broken).problems).toHaveLength(2);
  });

  it('createMapper refuses a bad map the same way', () => {
    expect(() => createMapper(withBucket(base, -2, (b) => ({ ...b, typeId: 9 })))).toThrow(CrushMapError);
  });
});
