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
  ])('turns $name into a reason and a one-line message', ({ over, reason, text }) => {
    const result = compileRule(spec(over), [{ path: 'a/b', weight: 1 }]);
    expect(result).toMatchObject({ kind: 'invalid', reason, message: expect.stringContaining(text) });
    expect(result.kind === 'invalid' ? result.message : '').not.toContain('\n');
  });

  it('joins the problems of a spec error into one line', () => {
    const result = compileRule(spec({ steps: [{ op: 'take', bucket: 'x' }, { op: 'choose', mode: 'firstn', count: 0, type: 'rack' }, { op: 'emit' }] }), [{ path: 'a/b/c', weight: 1 }]);
    expect(result).toMatchObject({
      kind: 'invalid',
      message: 'invalid placement spec (2 problems): steps[0] (take): bucket "x" is neither "root" nor a domain path of the hierarchy; steps[1] (choose): type "rack" is not one of the levels provider, region, zone',
    });
  });
});
