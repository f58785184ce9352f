import { describe, expect, it } from '@jest/globals';
import { buildLeaves, checkLevels, domainPath, UnsupportedLevelError } from './leaves.js';
import type { LeafRuleSpec, PlacedOffering } from './leaves.js';

const offer = (provider: string, region: string, zone: string, hourlyPrice: string): PlacedOffering => ({ provider, region, zone, hourlyPrice });

const OFFERINGS: PlacedOffering[] = [
  offer('sim-a', 'na-east', 'na-east-a', '0.10'),
  offer('sim-a', 'na-east', 'na-east-a', '0.05'),
  offer('sim-a', 'na-east', 'na-east-b', '0.20'),
  offer('sim-b', 'eu-central', 'eu-central-a', '0.025'),
];

const rule = (over: Partial<LeafRuleSpec> = {}): LeafRuleSpec => ({ failureDomains: ['provider', 'region', 'zone'], weighting: 'equal', ...over });

describe('buildLeaves', () => {
  it.each([
    {
      name: 'equal weighs every leaf 1',
      spec: rule(),
      want: [
        ['sim-a/na-east/na-east-a', 1],
        ['sim-a/na-east/na-east-b', 1],
        ['sim-b/eu-central/eu-central-a', 1],
      ],
    },
    {
      name: 'inversePrice weighs by the cheapest offering in the leaf, the cheapest leaf 1',
      spec: rule({ weighting: 'inversePrice' }),
      want: [
        ['sim-a/na-east/na-east-a', 0.5],
        ['sim-a/na-east/na-east-b', 0.125],
        ['sim-b/eu-central/eu-central-a', 1],
      ],
    },
    {
      name: 'capacity weighs by how many offerings the leaf has, the largest 1',
      spec: rule({ weighting: 'capacity' }),
      want: [
        ['sim-a/na-east/na-east-a', 1],
        ['sim-a/na-east/na-east-b', 0.5],
        ['sim-b/eu-central/eu-central-a', 0.5],
      ],
    },
    {
      name: 'levels above the zone merge offerings into fewer leaves',
      spec: rule({ failureDomains: ['provider'], weighting: 'capacity' }),
      want: [
        ['sim-a', 1],
        ['sim-b', 1 / 3],
      ],
    },
    {
      name: 'levels may skip one (provider/zone)',
      spec: rule({ failureDomains: ['provider', 'zone'] }),
      want: [
        ['sim-a/na-east-a', 1],
        ['sim-a/na-east-b', 1],
        ['sim-b/eu-central-a', 1],
      ],
    },
    {
      name: 'domainWeights multiply every leaf under a path at any level; 0 drains',
      spec: rule({ domainWeights: { 'sim-a': 2, 'sim-a/na-east/na-east-b': 0.25, 'sim-b/eu-central': 0, 'nowhere/x': 5 } }),
      want: [
        ['sim-a/na-east/na-east-a', 2],
        ['sim-a/na-east/na-east-b', 0.5],
        ['sim-b/eu-central/eu-central-a', 0],
      ],
    },
  ])('$name', ({ spec, want }) => {
    expect(buildLeaves(OFFERINGS, spec).map((l) => [l.path, l.weight])).toEqual(want);
  });

  it('gives no leaves for no offerings', () => {
    expect(buildLeaves([], rule({ weighting: 'inversePrice' }))).toEqual([]);
  });

  it('prices a free offering at one micro-dollar instead of infinitely', () => {
    const leaves = buildLeaves([offer('a', 'r', 'z1', '0'), offer('a', 'r', 'z2', '0.000002')], rule({ weighting: 'inversePrice' }));
    expect(leaves.map((l) => l.weight)).toEqual([1, 0.5]);
  });

  it('names an unsupported level and where it is', () => {
    expect(() => buildLeaves(OFFERINGS, rule({ failureDomains: ['provider', 'rack'] }))).toThrow(
      new UnsupportedLevelError('rack', 1),
    );
    expect(() => checkLevels(['continent'])).toThrow('failureDomains[0] "continent" is not a supported level (supported: provider, region, zone)');
  });

  it('builds domain paths in level order', () => {
    expect(domainPath(offer('a', 'r', 'z', '1'), ['zone', 'provider'])).toBe('z/a');
  });
});
