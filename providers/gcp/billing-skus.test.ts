import { describe, expect, it } from '@jest/globals';
import { computeRates, moneyText } from './billing-skus.js';
import { machinePrice } from './machine-price.js';

/** A SKU as services.skus.list returns one (the reference's Sku), with only what varies filled in. */
function sku(description: string, group: string, usageType: string, usageUnit: string, units: string, nanos: number, regions = ['us-central1', 'us-east1']): Record<string, unknown> {
  return {
    name: 'services/6F81-5844-456A/skus/CF4E-A0C7-E3BF',
    skuId: 'CF4E-A0C7-E3BF',
    description,
    category: { serviceDisplayName: 'Compute Engine', resourceFamily: 'Compute', resourceGroup: group, usageType },
    serviceRegions: regions,
    pricingInfo: [
      {
        summary: '',
        pricingExpression: {
          usageUnit,
          displayQuantity: 1,
          tieredRates: [{ startUsageAmount: 0, unitPrice: { currencyCode: 'USD', units, nanos } }],
          usageUnitDescription: usageUnit === 'h' ? 'hour' : 'gibibyte hour',
          baseUnit: 's',
          baseUnitDescription: 'second',
          baseUnitConversionFactor: 3600,
        },
        currencyConversionRate: 1,
        effectiveTime: '2026-12-01T08:44:28.393Z',
      },
    ],
    serviceProviderName: 'Google',
  };
}

const SKUS = [
  sku('E2 Instance Core running in Americas', 'CPU', 'OnDemand', 'h', '0', 21811590),
  sku('E2 Instance Ram running in Americas', 'RAM', 'OnDemand', 'GiBy.h', '0', 2923530),
  sku('Spot Preemptible E2 Instance Core running in Americas', 'CPU', 'Preemptible', 'h', '0', 6543000),
  sku('Spot Preemptible E2 Instance Ram running in Americas', 'RAM', 'Preemptible', 'GiBy.h', '0', 877000),
  sku('N1 Predefined Instance Core running in Americas', 'N1Standard', 'OnDemand', 'h', '0', 31611000),
  sku('N1 Predefined Instance Ram running in Americas', 'N1Standard', 'OnDemand', 'GiBy.h', '0', 4237000),
  sku('N2D AMD Instance Core running in Americas', 'CPU', 'OnDemand', 'h', '0', 27502000),
  sku('Nvidia L4 GPU running in Americas', 'GPU', 'OnDemand', 'h', '0', 560040000),
  // Not a predefined type's rate, or not in the region: passed over.
  sku('N2 Custom Instance Core running in Americas', 'CPU', 'OnDemand', 'h', '0', 33174000),
  sku('Commitment v1: E2 Cpu in Americas for 1 Year', 'CPU', 'Commit1Yr', 'h', '0', 13741000),
  sku('E2 Instance Core running in Frankfurt', 'CPU', 'OnDemand', 'h', '0', 26284000, ['europe-west3']),
  sku('Network Internet Egress from Americas to Americas', 'PremiumInternetEgress', 'OnDemand', 'GiBy', '0', 120000000),
];

describe('computeRates', () => {
  it("reads each family's core, memory and GPU rates of a region exactly, on demand and Spot", () => {
    expect(computeRates(SKUS, 'us-central1')).toEqual({
      'core/e2': '0.02181159',
      'ram/e2': '0.00292353',
      'spot/core/e2': '0.006543',
      'spot/ram/e2': '0.000877',
      'core/n1': '0.031611',
      'ram/n1': '0.004237',
      'core/n2d': '0.027502',
      'gpu/nvidia-l4': '0.56004',
    });
    expect(computeRates(SKUS, 'europe-west3')).toEqual({ 'core/e2': '0.026284' });
  });

  it('refuses a shape the catalog does not send, naming the SKU, rather than guess a price', () => {
    expect(() => computeRates([sku('E2 Instance Ram running in Americas', 'RAM', 'OnDemand', 'h', '0', 1)], 'us-central1')).toThrow(/CF4E-A0C7-E3BF \(E2 Instance Ram running in Americas\) is priced per "h", not per "GiBy.h"/);
    expect(() => computeRates([{ skuId: 'X', category: {} }], 'us-central1')).toThrow(/description/);
    const twice = [sku('E2 Instance Core running in Americas', 'CPU', 'OnDemand', 'h', '0', 1), sku('E2 Instance Core running in Americas', 'CPU', 'OnDemand', 'h', '0', 2)];
    expect(() => computeRates(twice, 'us-central1')).toThrow(/two SKUs price core\/e2 in us-central1/);
  });

  it('turns Money into a decimal without a float', () => {
    expect(moneyText({ units: '1', nanos: 500_000_000 })).toBe('1.5');
    expect(moneyText({ units: '0', nanos: 1 })).toBe('0.000000001');
    expect(moneyText({ units: '12' })).toBe('12');
  });
});

describe('machinePrice', () => {
  const rates = computeRates(SKUS, 'us-central1');
  it('prices a type as vCPUs × core + GiB × memory (+ GPUs), rounded half up to the micro-dollar', () => {
    // 2 × 0.02181159 + 8 × 0.00292353 = 0.06701142
    expect(machinePrice(rates, { name: 'e2-standard-2', guestCpus: 2, memoryMb: 8192 }, 'on-demand')).toBe('0.067011');
    // 1 × 0.031611 + 3.75 × 0.004237 = 0.04750 (n1 has 3.75 GiB per vCPU)
    expect(machinePrice(rates, { name: 'n1-standard-1', guestCpus: 1, memoryMb: 3840 }, 'on-demand')).toBe('0.0475');
    // A shared-core E2 bills a quarter vCPU: 0.25 × 0.02181159 + 1 × 0.00292353 = 0.0083764275
    expect(machinePrice(rates, { name: 'e2-micro', guestCpus: 2, memoryMb: 1024, isSharedCpu: true }, 'on-demand')).toBe('0.008376');
    expect(machinePrice(rates, { name: 'e2-standard-2', guestCpus: 2, memoryMb: 8192 }, 'spot')).toBe('0.020102');
  });

  it('prices nothing it lacks a rate for: a family, its memory, its GPU, or its Spot rate', () => {
    expect(machinePrice(rates, { name: 'c4a-standard-1', guestCpus: 1, memoryMb: 4096 }, 'on-demand')).toBeUndefined();
    expect(machinePrice(rates, { name: 'n2d-standard-2', guestCpus: 2, memoryMb: 8192 }, 'on-demand')).toBeUndefined();
    expect(machinePrice(rates, { name: 'n1-standard-1', guestCpus: 1, memoryMb: 3840 }, 'spot')).toBeUndefined();
    const g2 = { ...rates, 'core/g2': '0.024988', 'ram/g2': '0.002927' };
    expect(machinePrice(g2, { name: 'g2-standard-4', guestCpus: 4, memoryMb: 16384, accelerators: [{ guestAcceleratorType: 'nvidia-l4', guestAcceleratorCount: 1 }] }, 'on-demand')).toBe('0.706824');
    expect(machinePrice(g2, { name: 'g2-standard-4', guestCpus: 4, memoryMb: 16384, accelerators: [{ guestAcceleratorType: 'nvidia-a100', guestAcceleratorCount: 1 }] }, 'on-demand')).toBeUndefined();
  });
});
