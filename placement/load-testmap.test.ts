import { describe, expect, it } from '@jest/globals';
import { parseTestMap } from './load-testmap.js';
import { CrushMapError } from './map-errors.js';
import { readVector } from './vectors-fixture.js';

type Json = Record<string, unknown>;
const tree3 = readVector('map_tree3.json') as Json;

function problemsOf(json: unknown): string {
  try {
    parseTestMap(json);
  } catch (e) {
    if (e instanceof CrushMapError) return e.message;
    throw e;
  }
  throw new Error('the map was accepted');
}

describe('parseTestMap', () => {
  it('loads the reference maps as they are', () => {
    const map = parseTestMap(tree3);
    expect(map.devices).toHaveLength(59);
    expect(map.buckets).toHaveLength(38);
    expect(map.rules.map((r) => r.id)).toEqual([0, 1, 2, 3, 4, 5, 6]);
    expect(map.rules[0]?.steps[1]).toEqual({ op: 'choose', mode: 'firstn', leaf: true, num: 0, typeId: 1 });
    expect(parseTestMap(readVector('map_flat10.json')).buckets[0]?.items).toHaveLength(10);
  });

  it('names the field that has the wrong shape', () => {
    expect(problemsOf({ ...tree3, format: 'other' })).toContain('format: expected "crush-testmap-v1"');
    expect(problemsOf({ ...tree3, devices: 'none' })).toContain('map.devices: expected an array');
    const buckets = (tree3['buckets'] as Json[]).map((b, i) => (i === 1 ? { ...b, alg: 'straw' } : b));
    expect(problemsOf({ ...tree3, buckets })).toContain('buckets[1].alg: expected "straw2"');
  });

  it('refuses an unknown rule op and resolves take by item_name', () => {
    const rule = { id: 0, name: 'r', steps: [{ op: 'take', item_name: 'root' }, { op: 'spread' }, { op: 'emit' }] };
    expect(problemsOf({ ...tree3, rules: [rule] })).toContain('rules[0].steps[1].op: expected one of take, use');
    const named = { id: 0, name: 'r', steps: [{ op: 'take', item_name: 'p0-r0-z0' }, { op: 'emit' }] };
    expect(parseTestMap({ ...tree3, rules: [named] }).rules[0]?.steps[0]).toEqual({ op: 'take', item: -2 });
  });

  it('runs the map validation after the shape check', () => {
    const types = (tree3['types'] as Json[]).filter((t) => t['name'] !== 'region');
    expect(problemsOf({ ...tree3, types })).toContain('type id 2 is not declared in types');
  });
});
