import type { RateSpec } from './skus.js';
import { rateSku, unrelatedSkus } from './skus.js';

export const COMPUTE_SERVICE_ID = '6F81-5844-456A';

type Rates = Readonly<Record<string, { readonly core: string; readonly ram: string }>>;

/** us-central1's rates the fake serves, USD per vCPU hour and GiB hour (GPUs per GPU hour). */
const US_ON_DEMAND: Rates = {
  e2: { core: '0.021811', ram: '0.002923' },
  n2: { core: '0.031611', ram: '0.004237' },
  n2d: { core: '0.027502', ram: '0.003686' },
  t2a: { core: '0.0308', ram: '0.00385' },
  g2: { core: '0.024988', ram: '0.002927' },
};
const US_SPOT: Rates = {
  e2: { core: '0.006543', ram: '0.000877' },
  n2: { core: '0.00765', ram: '0.001025' },
  n2d: { core: '0.006651', ram: '0.000891' },
  t2a: { core: '0.00924', ram: '0.001155' },
  g2: { core: '0.00999', ram: '0.00117' },
};
const GPU = { onDemand: '0.56004', spot: '0.224' };

/** The regions of the fake Compute Engine's catalogue and their uplift on us-central1 (c4a is left unpriced on purpose). */
const REGION_FACTORS: Readonly<Record<string, number>> = { 'us-central1': 1, 'europe-west4': 1.1, 'asia-northeast1': 1.286 };

function scaled(usd: string, factor: number): string {
  return factor === 1 ? usd : (Number(usd) * factor).toFixed(9).replace(/0+$/, '').replace(/\.$/, '');
}

/** The rates behind FAKE catalog's SKUs, one entry per SKU: what a test computes expected prices from. */
export const FAKE_RATES: readonly RateSpec[] = Object.entries(REGION_FACTORS).flatMap(([region, factor]) => {
  const location = region.startsWith('us-') ? 'Americas' : region.startsWith('europe-') ? 'Netherlands' : 'Tokyo';
  const of = (rates: Rates, kind: RateSpec['kind']): RateSpec[] =>
    Object.entries(rates).flatMap(([name, r]) => [
      { name, resource: 'core' as const, kind, regions: [region], usd: scaled(r.core, factor), location },
      { name, resource: 'ram' as const, kind, regions: [region], usd: scaled(r.ram, factor), location },
    ]);
  return [
    ...of(US_ON_DEMAND, 'on-demand'),
    ...of(US_SPOT, 'spot'),
    { name: 'nvidia-l4', resource: 'gpu' as const, kind: 'on-demand' as const, regions: [region], usd: scaled(GPU.onDemand, factor), location },
    { name: 'nvidia-l4', resource: 'gpu' as const, kind: 'spot' as const, regions: [region], usd: scaled(GPU.spot, factor), location },
  ];
});

/** Compute Engine's SKUs in the fake catalog: the rates above among SKUs no machine type is priced by. */
export function computeCatalog(rates: readonly RateSpec[] = FAKE_RATES): Record<string, unknown>[] {
  return [...unrelatedSkus(Object.keys(REGION_FACTORS)), ...rates.map(rateSku)];
}
