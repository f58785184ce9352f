import { describe, expect, it } from '@jest/globals';
import { matchesLabels, parseLabelSelector, selectorFromLabels } from './label-selector.js';

describe('label selectors', () => {
  const labels = { 'polyfleet.io/pool': 'workers', tier: 'a' };
  it.each([
    ['polyfleet.io/pool=workers', true],
    ['polyfleet.io/pool==workers,tier=a', true],
    ['polyfleet.io/pool!=workers', false],
    ['tier in (a, b)', true],
    ['tier notin (a)', false],
    ['tier', true],
    ['!tier', false],
    ['!legacy', true],
    ['', true],
  ])('%s → %s', (selector, want) => {
    expect(matchesLabels(parseLabelSelector(selector), labels)).toBe(want);
  });

  it('names the bad selector', () => {
    expect(() => parseLabelSelector('a=b,=c')).toThrow('invalid label selector "a=b,=c": cannot parse "=c"');
  });

  it('round-trips labels through the string form', () => {
    const s = selectorFromLabels({ tier: 'a', 'polyfleet.io/pool': 'workers' });
    expect(s).toBe('polyfleet.io/pool=workers,tier=a');
    expect(matchesLabels(parseLabelSelector(s), labels)).toBe(true);
  });
});
