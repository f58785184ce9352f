import { describe, expect, it } from '@jest/globals';
import { CrushMapError } from './map-errors.js';
import type { CompiledPlacement } from './compiler.js';
import { compilePlacement } from './compiler.js';
import type { LeafDomain, PlacementStepSpec } from './placement-spec.js';
import { crushHash32_2 } from './hash.js';
import { fnv1a32, slotGroupInput } from './slot-input.js';
import { PlacementSpecError } from './spec-errors.js';

const levels = ['provider', 'region', 'zone'];
const uid = '6f1c2a9e-0d7b-4c1e-9a52-3b8e4d2f7a10';
const defaultSteps: PlacementStepSpec[] = [
  { op: 'take', bucket: 'root' },
  { op: 'choose', mode: 'firstn', count: 0, type: 'provider' },
  { op: 'chooseleaf', mode: 'firstn', count: 1, type: 'zone' },
  { op: 'emit' },
];
const indepSteps: PlacementStepSpec[] = [
  { op: 'take', bucket: 'root' },
  { op: 'choose', mode: 'indep', count: 0, type: 'provider' },
  { op: 'chooseleaf', mode: 'indep', count: 1, type: 'zone' },
  { op: 'emit' },
];

function topology(weight = 1): LeafDomain[] {
  return ['aws-east', 'gcp', 'do'].flatMap((p) =>
    ['r1', 'r2'].flatMap((r) => ['a', 'b'].map((z) => ({ path: `${p}/${p}-${r}/${p}-${r}${z}`, weight }))),
  );
}
const compile = (leaves = topology(), steps = defaultSteps, groupSize = 3) => compilePlacement({ levels, groupSize, steps, leaves });
const provider = (path: string | undefined) => path?.split('/')[0];

describe('compilePlacement builds the CRUSH hierarchy', () => {
  const placement = compile();

  it('with one bucket per domain, named by path, and one device per leaf', () => {
    const names = placement.map.buckets.map((b) => b.name);
    expect(names).toContain('root');
    expect(names).toContain('aws-east/aws-east-r1');
    expect(placement.map.devices).toHaveLength(12);
    const leaf = placement.map.buckets.find((b) => b.name === 'do/do-r2/do-r2b');
    expect(leaf?.items).toHaveLength(1);
    expect(placement.map.types).toEqual([
      { id: 0, name: '(device)' },
      { id: 1, name: 'zone' },
      { id: 2, name: 'region' },
      { id: 3, name: 'provider' },
      { id: 4, name: '(root)' },
    ]);
  });

  it('weighs an inner domain by the mean of its children, so more zones do not mean more pull', () => {
    const leaves = topology().map((l) => (l.path === 'do/do-r1/do-r1a' ? { ...l, weight: 3 } : l));
    const map = compile([...leaves, { path: 'gcp/gcp-r1/gcp-r1c', weight: 1 }]).map;
    const weightOf = (parent: string, child: string) => {
      const id = map.buckets.find((b) => b.name === child)?.id;
      return map.buckets.find((b) => b.name === parent)?.items.find((i) => i.id === id)?.weight;
    };
    expect(weightOf('gcp', 'gcp/gcp-r1')).toBe(0x10000);
    expect(weightOf('do/do-r1', 'do/do-r1/do-r1a')).toBe(3 * 0x10000);
    expect(weightOf('do', 'do/do-r1')).toBe(2 * 0x10000);
  });

  it('keeps every straw2 hash id when a leaf is added, so existing draws do not change', () => {
    const hashIds = (p: CompiledPlacement) =>
      new Map(p.map.buckets.flatMap((b) => b.items.map((i) => [`${b.name}>${i.hashId}`, i.weight] as const)));
    const before = hashIds(placement);
    const after = hashIds(compile([...topology(), { path: 'aws-east/aws-east-r3/aws-east-r3a', weight: 1 }]));
    for (const key of before.keys()) if (!key.startsWith('aws-east>')) expect(after.has(key)).toBe(true);
  });
});

describe('slot mapping', () => {
  const placement = compile();

  it('hashes the pool UID with FNV-1a, then mixes in the group with crush_hash32_2', () => {
    expect(fnv1a32('')).toBe(0x811c9dc5);
    expect(fnv1a32('a')).toBe(0xe40c292c);
    expect(slotGroupInput(uid, 7)).toBe(crushHash32_2(fnv1a32(uid), 7));
  });

  it('gives slot i position i mod groupSize of group floor(i / groupSize)', () => {
    for (let slot = 0; slot < 30; slot++) {
      expect(placement.slotDomain(uid, slot)).toBe(placement.groupDomains(uid, Math.floor(slot / 3))[slot % 3]);
    }
    expect(placement.slotDomains(uid, 30)).toEqual(Array.from({ length: 30 }, (_, s) => placement.slotDomain(uid, s)));
  });

  it('spreads each group over the three providers with the default rule', () => {
    for (let g = 0; g < 100; g++) {
      const providers = placement.groupDomains(uid, g).map(provider);
      expect(new Set(providers).size).toBe(3);
    }
  });

  it('never places a slot in a drained leaf or a drained provider', () => {
    const leaves = topology().map((l) => (l.path.startsWith('do/') || l.path === 'gcp/gcp-r1/gcp-r1a' ? { ...l, weight: 0 } : l));
    const domains = compile(leaves, [{ op: 'take', bucket: 'root' }, { op: 'chooseleaf', mode: 'firstn', count: 0, type: 'zone' }, { op: 'emit' }]).slotDomains(uid, 600);
    expect(domains.filter((d) => d === undefined || d.startsWith('do/') || d === 'gcp/gcp-r1/gcp-r1a')).toEqual([]);
  });

  it('re-roots with use at a domain path', () => {
    const steps: PlacementStepSpec[] = [
      { op: 'take', bucket: 'root' },
      { op: 'use', bucket: 'gcp' },
      { op: 'chooseleaf', mode: 'firstn', count: 0, type: 'zone' },
      { op: 'emit' },
    ];
    const domains = compile(topology(), steps).slotDomains(uid, 90);
    expect(domains.every((d) => provider(d) === 'gcp')).toBe(true);
    expect(new Set(domains).size).toBe(4);
  });

  it('returns the bucket path when the rule emits domains rather than leaves', () => {
    const steps: PlacementStepSpec[] = [{ op: 'take', bucket: 'root' }, { op: 'choose', mode: 'firstn', count: 0, type: 'region' }, { op: 'emit' }];
    const domains = compile(topology(), steps, 2).slotDomains(uid, 10);
    for (const d of domains) expect(d?.split('/')).toHaveLength(2);
  });
});

describe('marking leaves out reuses CRUSH retry', () => {
  it.each([
    ['firstn', defaultSteps],
    ['indep', indepSteps],
  ])('moves only the slots of an out leaf (%s)', (_, steps) => {
    const placement = compile(topology(), steps);
    const before = placement.slotDomains(uid, 600);
    const out = new Set(['gcp/gcp-r2/gcp-r2a']);
    const after = placement.slotDomains(uid, 600, out);
    const moved = before.flatMap((d, i) => (d === after[i] ? [] : [d]));
    expect(moved.length).toBeGreaterThan(0);
    expect(new Set(moved)).toEqual(out);
    expect(after).not.toContain('gcp/gcp-r2/gcp-r2a');
  });

  it('leaves an indep hole, not a shift, when a whole provider is out', () => {
    const placement = compile(topology(), indepSteps);
    const before = placement.slotDomains(uid, 300);
    const after = placement.slotDomains(uid, 300, new Set(['do']));
    before.forEach((d, i) => {
      expect(after[i]).toBe(provider(d) === 'do' ? undefined : d);
    });
  });
});

describe('explainSlot', () => {
  const placement = compile();

  it('says where the slot went and why, in one line and in full', () => {
    for (let slot = 0; slot < 12; slot++) {
      const e = placement.explainSlot(uid, slot);
      expect(e.domain).toBe(placement.slotDomain(uid, slot));
      expect(e.summary).toMatch(new RegExp(`^slot ${slot} \\(group ${Math.floor(slot / 3)}, position ${slot % 3}, x=\\d+\\): \\S+ via root > `));
      expect(e.summary).toContain(`${e.domain}`);
      expect(e.summary.length).toBeLessThanOrEqual(2048);
      expect(e.text).toContain('step 2: choose firstn 0 type provider');
    }
  });

  it('counts the retries an out leaf caused', () => {
    const slot = placement.slotDomains(uid, 60).findIndex((d) => d === 'aws-east/aws-east-r1/aws-east-r1a');
    const e = placement.explainSlot(uid, slot, new Set(['aws-east/aws-east-r1/aws-east-r1a']));
    expect(e.summary).toMatch(/after \d+ retr(y|ies)$/);
    expect(e.text).toContain('is out (reweight)');
  });
});

describe('bad specs are refused with the field named', () => {
  const spec = (over: object) => () => compilePlacement({ levels, groupSize: 3, steps: defaultSteps, leaves: topology(), ...over });
  it.each([
    ['a path with too few segments', { leaves: [{ path: 'aws-east/r1', weight: 1 }] }, 'leaves[0] "aws-east/r1": needs 3 non-empty segments (provider/region/zone)'],
    ['a duplicate path', { leaves: [...topology(), { path: 'do/do-r1/do-r1a', weight: 1 }] }, 'leaves[12] "do/do-r1/do-r1a": is listed twice'],
    ['a negative weight', { leaves: [{ path: 'a/b/c', weight: -1 }] }, 'weight -1 must be a finite number'],
    ['a group size of 0', { groupSize: 0 }, 'groupSize: 0 is not an integer 1..1024'],
    ['a step type that is not a level', { steps: [{ op: 'take', bucket: 'root' }, { op: 'choose', mode: 'firstn', type: 'rack' }, { op: 'emit' }] }, 'steps[1] (choose): type "rack" is not one of the levels provider, region, zone'],
    ['a take of an unknown bucket', { steps: [{ op: 'take', bucket: 'azure' }, { op: 'emit' }] }, 'steps[0] (take): bucket "azure" is neither "root" nor a domain path'],
    ['a choose without a mode', { steps: [{ op: 'take', bucket: 'root' }, { op: 'choose', type: 'zone' }, { op: 'emit' }] }, 'steps[1] (choose): needs a mode and a type'],
  ])('%s', (_, over, message) => {
    expect(spec(over)).toThrow(PlacementSpecError);
    expect(spec(over)).toThrow(message);
  });

  it('reports a rule that never emits through the map validation', () => {
    expect(spec({ steps: [{ op: 'take', bucket: 'root' }, { op: 'choose', mode: 'firstn', type: 'zone' }] })).toThrow(CrushMapError);
  });
});
