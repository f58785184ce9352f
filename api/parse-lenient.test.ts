import { describe, expect, it } from '@jest/globals';
import { parseKind } from './resource.js';
import { parseKindLenient } from './parse-lenient.js';

const strategy = {
  apiVersion: 'polyfleet.io/v1alpha1',
  kind: 'Strategy',
  metadata: { name: 'cheap' },
  spec: { providers: [{ name: 'sim-a', type: 'sim', futureKnob: 1 }], hardware: {}, software: { os: 'ubuntu-24.04' }, futureSpec: {} },
  status: { futureStatus: 'x' },
  futureTop: true,
};

describe('parseKindLenient', () => {
  it('reads what parseKind refuses only for unknown fields, without them, naming each', () => {
    expect(parseKind('Strategy', strategy).ok).toBe(false);
    const parsed = parseKindLenient('Strategy', strategy);
    if (!parsed.ok) throw new Error(JSON.stringify(parsed.issues));
    expect(parsed.unknownFields.sort()).toEqual(['futureTop', 'spec.futureSpec', 'spec.providers[0].futureKnob', 'status.futureStatus']);
    expect(parsed.value.spec.providers[0]).not.toHaveProperty('futureKnob');
    expect(parsed.value.spec.pick).toBe('first'); // defaults applied as parseKind applies them
    expect(strategy.spec.providers[0]).toHaveProperty('futureKnob'); // the input is not touched
  });

  it('fails on any other problem, with only the real issues', () => {
    const parsed = parseKindLenient('Strategy', { ...strategy, spec: { ...strategy.spec, pick: 42 } });
    expect(parsed.ok).toBe(false);
    if (parsed.ok) return;
    expect(parsed.issues.map((i) => i.path)).toEqual(['spec.pick']);
  });

  it('reads a valid object as parseKind does', () => {
    const { futureTop: _t, status: _s, ...valid } = strategy;
    const { futureSpec: _f, ...spec } = valid.spec;
    const plain = { ...valid, spec: { ...spec, providers: [{ name: 'sim-a', type: 'sim' }] } };
    expect(parseKindLenient('Strategy', plain)).toEqual({ ...parseKind('Strategy', plain), unknownFields: [] });
  });
});
