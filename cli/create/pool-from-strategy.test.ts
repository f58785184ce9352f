import { describe, expect, it } from '@jest/globals';
import { parseKind, type Strategy } from '../../api/index.js';
import { testStrategy } from '../../runtime/testing/objects.js';
import { poolFor, strategyOf, withPreferences } from './pool-from-strategy.js';

const strategy = (): Strategy => {
  const s = testStrategy('default', 'spread');
  return { ...s, spec: { ...s.spec, pick: 'cheapest', providers: [{ name: 'sim-a', type: 'sim' }, { name: 'sim-b', type: 'sim' }, { name: 'sim-c', type: 'sim' }] } };
};

describe('create: the pool and Strategy a one-shot applies', () => {
  it.each([
    { name: 'no preferences: the Strategy as written', request: { replicas: 3 }, providers: ['sim-a', 'sim-b', 'sim-c'], pick: 'cheapest', images: undefined },
    { name: '--provider: first, and pick first', request: { replicas: 3, provider: 'sim-c' }, providers: ['sim-c', 'sim-a', 'sim-b'], pick: 'first', images: undefined },
    { name: '--image alone: every account', request: { replicas: 3, image: 'img-1' }, providers: ['sim-a', 'sim-b', 'sim-c'], pick: 'cheapest', images: { 'sim-a': 'img-1', 'sim-b': 'img-1', 'sim-c': 'img-1' } },
    { name: '--provider and --image: that account', request: { replicas: 3, provider: 'sim-b', image: 'img-2' }, providers: ['sim-b', 'sim-a', 'sim-c'], pick: 'first', images: { 'sim-b': 'img-2' } },
  ])('$name', ({ request, providers, pick, images }) => {
    const s = withPreferences(strategy(), request, 'strategy.yaml');
    expect(s.spec.providers.map((p) => p.name)).toEqual(providers);
    expect(s.spec.pick).toBe(pick);
    expect(s.spec.software.images).toEqual(images);
    expect(parseKind('Strategy', s).ok).toBe(true);
  });

  it('names the file and the accounts when --provider is not one of them', () => {
    expect(() => withPreferences(strategy(), { replicas: 1, provider: 'aws' }, 'strategy.yaml')).toThrow('--provider "aws" is not an account of Strategy "spread" in strategy.yaml (accounts: sim-a, sim-b, sim-c)');
  });

  it('makes a pool named after the Strategy with the API defaults, or scales the existing one keeping the rest', () => {
    const pool = poolFor(strategy(), 4, undefined);
    expect(pool).toMatchObject({ metadata: { name: 'spread' }, spec: { replicas: 4, redundancy: '1:1', strategyRef: { name: 'spread' }, readyTimeoutSeconds: 900 } });
    const existing = { ...pool, spec: { ...pool.spec, redundancy: '+1', placementRuleRef: { name: 'r' } } };
    expect(poolFor(strategy(), 9, existing).spec).toMatchObject({ replicas: 9, redundancy: '+1', placementRuleRef: { name: 'r' } });
  });

  it('wants exactly one Strategy in the file', () => {
    const s = strategy();
    expect(strategyOf('f.yaml', [{ source: 'f.yaml, document 1', object: s }])).toBe(s);
    expect(() => strategyOf('f.yaml', [])).toThrow('f.yaml: a strategy file holds exactly one Strategy; found nothing');
    expect(() => strategyOf('f.yaml', [{ source: 'a', object: s }, { source: 'b', object: s }])).toThrow('found Strategy "spread", Strategy "spread"');
  });
});
