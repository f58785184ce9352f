import { describe, expect, it } from '@jest/globals';
import type { PlacementRuleSpec } from '../../api/index.js';
import { compileRule, syntheticLeaves } from './compile.js';

const spec = (over: Partial<PlacementRuleSpec> = {}): PlacementRuleSpec => ({ failureDomains: ['provider', 'region', 'zone'], groupSize: 1, weighting: 'equal', ...over });

describe('syntheticLeaves', () => {
  it('makes one domain per level and extends every bucket the steps name down to a leaf', () => {
    const rule = spec({ steps: [{ op: 'take', bucket: 'aws-east' }, { op: 'use', bucket: 'aws-east/us-east-1' }, { op: 'chooseleaf', mode: 'firstn', count: 0, type: 'zone' }, { op: 'emit' }] });
    expect(syntheticLeaves(rule).map((l) => l.path)).toEqual([
      'aws-east/synthetic-region/synthetic-zone',
      'aws-east/us-east-1/synthetic-zone',
      'synthetic-provider/synthetic-region/synthetic-zone',
    ]);
    expect(compileRule(rule, syntheticLeaves(rule)).kind).toBe('compiled');
  });

  it('leaves out a bucket deeper than the levels, so compiling names it', () => {
    const rule = spec({ failureDomains: ['provider'], steps: [{ op: 'take', bucket: 'a/b' }, { op: 'emit' }] });
    expect(syntheticLeaves(rule).map((l) => l.path)).toEqual(['synthetic-provider']);
    expect(compileRule(rule, syntheticLeaves(rule))).toMatchObject({ kind: 'invalid', reason: 'ConstraintError', message: expect.stringContaining('bucket "a/b"') });
  });
});

describe('compileRule', () => {
  it.each([
    { name: 'an unsupported level', over: { failureDomains: ['provider', 'rack'] }, reason: 'UnsupportedLevel', text: '"rack"' },
    { name: 'a level listed twice', over: { failureDomains: ['zone', 'zone'] }, reason: 'ConstraintError', text: 'listed twice' },
  ])('turns $name into a reason and message', ({ over, reason, text }) => {
    const rule = spec(over);
    expect(compileRule(rule, [{ path: 'a/b', weight: 1 }])).toMatchObject({ kind: 'invalid', reason, message: expect.stringContaining(text) });
  });
});
