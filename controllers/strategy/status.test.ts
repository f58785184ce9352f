import { describe, expect, it } from '@jest/globals';
import type { Strategy } from '../../api/index.js';
import { findCondition } from '../shared/index.js';
import type { ResolvedOffering } from '../offerings/index.js';
import { strategyStatus } from './status.js';

const strategy: Strategy = {
  apiVersion: 'polyfleet.io/v1alpha1',
  kind: 'Strategy',
  metadata: { name: 's', namespace: 'default', generation: 3 },
  spec: { pick: 'cheapest', providers: [{ name: 'aws-east', type: 'aws' }], hardware: { minCPU: 1, minMemoryGiB: 0, minDiskGiB: 0 }, software: { os: 'ubuntu-24.04' } },
};

const offering = (over: Partial<ResolvedOffering>): ResolvedOffering => ({
  provider: 'aws-east', providerType: 'aws', region: 'us-east-1', zone: 'us-east-1a', instanceType: 't3.micro', cpu: 2, memoryGiB: 1, arch: 'amd64', gpu: 0, hourlyPrice: '0.0104', image: 'ami-1', rank: 0, ...over,
});

describe('Strategy status and its prices', () => {
  it('shows where each price came from and when, and PricesStale when some come from the shipped table', () => {
    const now = new Date('2026-12-01T12:00:00Z');
    const status = strategyStatus(
      strategy,
      { offerings: [offering({ priceSource: 'api', pricedAt: '2026-12-01T11:00:00.000Z' }), offering({ provider: 'aws-east', instanceType: 't3.small', hourlyPrice: '0.0208', priceSource: 'table', pricedAt: '2026-11-22T00:00:00Z', rank: 1 })], problems: [] },
      now,
    );
    expect(status.offerings?.map((o) => [o.instanceType, o.priceSource, o.pricedAt])).toEqual([
      ['t3.micro', 'api', '2026-12-01T11:00:00.000Z'],
      ['t3.small', 'table', '2026-11-22T00:00:00Z'],
    ]);
    expect(findCondition(status.conditions, 'PricesStale')).toMatchObject({ status: 'True', reason: 'TablePrices', observedGeneration: 3, lastTransitionTime: '2026-12-01T12:00:00Z' });
  });
});
