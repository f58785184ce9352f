// How little moves: on 3 providers × 2 regions × 2 zones with 600 slots, adding a zone of
// weight share s moves at most 1.15·s of the slots, and removing a zone moves only its slots.
import { describe, expect, it } from '@jest/globals';
import type { CrushMap } from './crush-map.js';
import { compilePlacement } from './compiler.js';
import type { LeafDomain, PlacementStepSpec } from './placement-spec.js';

const uid = '6f1c2a9e-0d7b-4c1e-9a52-3b8e4d2f7a10';
const slots = 600;
const levels = ['provider', 'region', 'zone'];
const steps: PlacementStepSpec[] = [
  { op: 'take', bucket: 'root' },
  { op: 'choose', mode: 'firstn', count: 0, type: 'provider' },
  { op: 'chooseleaf', mode: 'firstn', count: 1, type: 'zone' },
  { op: 'emit' },
];
const regions = ['aws-east', 'gcp', 'do'].flatMap((p) => ['r1', 'r2'].map((r) => `${p}/${p}-${r}`));
const topology: LeafDomain[] = regions.flatMap((region) => ['a', 'b'].map((z) => ({ path: `${region}/${region.split('/')[1]}${z}`, weight: 1 })));

const domainsOf = (leaves: readonly LeafDomain[]) => compilePlacement({ levels, groupSize: 3, steps, leaves }).slotDomains(uid, slots);

/** A leaf's share of the CRUSH weight: its fraction among siblings, multiplied down from the root. */
function weightShare(map: CrushMap, leaf: string): number {
  const segments = leaf.split('/');
  let share = 1;
  let parent = 'root';
  segments.forEach((_, depth) => {
    const name = segments.slice(0, depth + 1).join('/');
    const bucket = map.buckets.find((b) => b.name === parent);
    const child = map.buckets.find((b) => b.name === name);
    const total = bucket?.items.reduce((s, i) => s + i.weight, 0) ?? 1;
    share *= (bucket?.items.find((i) => i.id === child?.id)?.weight ?? 0) / total;
    parent = name;
  });
  return share;
}

describe('adding a zone', () => {
  const before = domainsOf(topology);
  const additions = regions.map((region) => {
    const zone = `${region}/${region.split('/')[1]}c`;
    const leaves = [...topology, { path: zone, weight: 1 }];
    const after = domainsOf(leaves);
    const moved = before.flatMap((d, i) => (d === after[i] ? [] : [after[i]]));
    const share = weightShare(compilePlacement({ levels, groupSize: 3, steps, leaves }).map, zone);
    return { zone, moved, landed: after.filter((d) => d === zone).length, share };
  });

  it.each(additions.map((a) => [a.zone, a] as const))('in %s moves only slots into the new zone', (_, a) => {
    expect(a.moved.length).toBeGreaterThan(0);
    expect(new Set(a.moved)).toEqual(new Set([a.zone]));
    expect(a.moved.length).toBeLessThanOrEqual(1.15 * a.landed);
  });

  it('gives the new zone its weight share, within binomial noise', () => {
    for (const a of additions) {
      expect(a.share).toBeCloseTo(1 / 18, 10);
      const sigma = Math.sqrt(slots * a.share * (1 - a.share));
      expect(Math.abs(a.landed - slots * a.share)).toBeLessThanOrEqual(4 * sigma);
    }
  });

  it('moves at most 1.15·s of the slots, averaged over a zone added in each region', () => {
    const meanMoved = additions.reduce((n, a) => n + a.moved.length, 0) / additions.length;
    const meanShare = additions.reduce((n, a) => n + a.share, 0) / additions.length;
    expect(meanMoved).toBeLessThanOrEqual(1.15 * meanShare * slots);
  });
});

describe('removing a zone', () => {
  const before = domainsOf(topology);
  it.each(topology.map((l) => [l.path] as const))('%s moves exactly the slots that were in it', (zone) => {
    const after = domainsOf(topology.filter((l) => l.path !== zone));
    const movedFrom = before.flatMap((d, i) => (d === after[i] ? [] : [d]));
    expect(movedFrom.length).toBe(before.filter((d) => d === zone).length);
    expect(new Set(movedFrom)).toEqual(new Set([zone]));
  });
});
