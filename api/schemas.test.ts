import { describe, expect, it } from '@jest/globals';
import { effectiveSteps, parseKind, parseResource, type ParseResult } from './index.js';

const meta = { name: 'x' };

function issues<T>(r: ParseResult<T>): string[] {
  return r.ok ? [] : r.issues.map((i) => `${i.path}: ${i.message}`);
}

describe('defaults', () => {
  it('fills a minimal NodePool the way the API server does', () => {
    const r = parseKind('NodePool', { apiVersion: 'polyfleet.io/v1alpha1', kind: 'NodePool', metadata: meta, spec: { strategyRef: { name: 's' } } });
    if (!r.ok) throw new Error(issues(r).join('\n'));
    expect(r.value.spec).toEqual({
      replicas: 1,
      redundancy: '1:1',
      strategyRef: { name: 's' },
      template: {},
      disruption: { maxUnavailable: 1 },
      readyTimeoutSeconds: 900,
      remediation: { maxUnhealthy: '40%', windowSeconds: 600 },
      dryRun: false,
      paused: false,
    });
  });

  it('gives a PlacementRule the provider/region/zone levels and the default spread', () => {
    const r = parseKind('PlacementRule', { apiVersion: 'polyfleet.io/v1alpha1', kind: 'PlacementRule', metadata: meta, spec: {} });
    if (!r.ok) throw new Error(issues(r).join('\n'));
    expect(r.value.spec.failureDomains).toEqual(['provider', 'region', 'zone']);
    expect(effectiveSteps(r.value.spec)).toEqual([
      { op: 'take', bucket: 'root' },
      { op: 'choose', mode: 'firstn', count: 0, type: 'provider' },
      { op: 'chooseleaf', mode: 'firstn', count: 1, type: 'zone' },
      { op: 'emit' },
    ]);
  });
});

describe('cross-field rules', () => {
  const strategy = (spec: object) => parseKind('Strategy', { apiVersion: 'polyfleet.io/v1alpha1', kind: 'Strategy', metadata: meta, spec });
  const providers = [{ name: 'a', type: 'sim' }];

  it('accepts minCPU equal to maxCPU and rejects it above, on the maxCPU field', () => {
    expect(strategy({ providers, hardware: { minCPU: 4, maxCPU: 4 } }).ok).toBe(true);
    expect(issues(strategy({ providers, hardware: { minCPU: 8, maxCPU: 4 } }))).toEqual([
      'spec.hardware.maxCPU: minCPU must not be greater than maxCPU',
    ]);
  });

  it('compares budgets as decimals, not as strings', () => {
    expect(strategy({ providers, budget: { maxHourlyPerNode: '9.5', maxHourlyTotal: '10' } }).ok).toBe(true);
    expect(issues(strategy({ providers, budget: { maxHourlyPerNode: '10.5', maxHourlyTotal: '9' } }))).toEqual([
      'spec.budget.maxHourlyPerNode: maxHourlyPerNode must not be greater than maxHourlyTotal',
    ]);
  });

  it('names the second of two providers with the same name', () => {
    expect(issues(strategy({ providers: [...providers, { name: 'b', type: 'aws' }, { name: 'a', type: 'gcp' }] }))).toEqual([
      'spec.providers[2]: Duplicate value: provider name "a"',
    ]);
  });

  it('rejects a choose step over a level the rule does not have', () => {
    const r = parseResource({
      apiVersion: 'polyfleet.io/v1alpha1',
      kind: 'PlacementRule',
      metadata: meta,
      spec: { failureDomains: ['provider', 'zone'], steps: [{ op: 'take', bucket: 'root' }, { op: 'choose', mode: 'firstn', count: 0, type: 'rack' }, { op: 'emit' }] },
    });
    expect(issues(r)).toEqual(['spec.steps: the type of every choose and chooseleaf step must be one of failureDomains']);
  });

  it('names an unknown field by its full path', () => {
    const r = parseResource({ apiVersion: 'polyfleet.io/v1alpha1', kind: 'NodePool', metadata: meta, spec: { strategyRef: { name: 's' }, replcas: 3 } });
    expect(issues(r)).toEqual(['spec.replcas: unknown field "replcas"']);
  });

  it('says which kinds exist when given another', () => {
    expect(issues(parseResource({ kind: 'Pod' }))).toEqual(['kind: must be one of NodePool, Strategy, PlacementRule, Machine, HostGroup; got "Pod"']);
  });
});
