/**
 * Compute Engine SKUs as the Cloud Billing Catalog API sends them
 * (https://cloud.google.com/billing/docs/reference/rest/v1/services.skus#Sku), built from rates:
 * one SKU per family, resource (core, memory, GPU) and usage type (OnDemand, Preemptible = Spot),
 * naming its family in the description and its regions in serviceRegions, priced as
 * pricingInfo[0].pricingExpression.tieredRates[].unitPrice {currencyCode, units, nanos}.
 */
import { createHash } from 'node:crypto';

export const COMPUTE_SERVICE = 'services/6F81-5844-456A';

export interface RateSpec {
  /** e2, n2, n2d, t2a, g2, …; for a GPU its model as machine types name it (nvidia-l4). */
  readonly name: string;
  readonly resource: 'core' | 'ram' | 'gpu';
  readonly kind: 'on-demand' | 'spot';
  readonly regions: readonly string[];
  /** USD per vCPU hour, GiB hour or GPU hour, up to nine decimals. */
  readonly usd: string;
  /** Where the regions are, as the description says it ("Americas", "Frankfurt"). */
  readonly location?: string;
}

/** How families are spelled in SKU descriptions: "N2D AMD Instance Core", "N1 Predefined Instance Core", "T2A Arm …". */
const DESCRIPTION_FAMILY: Readonly<Record<string, string>> = { n2d: 'N2D AMD', t2d: 'T2D AMD', t2a: 'T2A Arm', n1: 'N1 Predefined' };

/** "nvidia-l4" → "Nvidia L4", "nvidia-tesla-t4" → "Nvidia Tesla T4". */
function gpuName(model: string): string {
  return model
    .split('-')
    .map((w, i) => (i === 0 ? 'Nvidia' : w.length <= 3 ? w.toUpperCase() : `${w[0]?.toUpperCase() ?? ''}${w.slice(1)}`))
    .join(' ');
}

function skuId(text: string): string {
  const hex = createHash('sha256').update(text).digest('hex').toUpperCase();
  return `${hex.slice(0, 4)}-${hex.slice(4, 8)}-${hex.slice(8, 12)}`;
}

/** "0.021811" → {units: "0", nanos: 21811000}: the catalog's Money. */
export function unitPrice(usd: string): { currencyCode: string; units: string; nanos: number } {
  const [whole = '0', fraction = ''] = usd.split('.');
  return { currencyCode: 'USD', units: whole, nanos: Number(fraction.padEnd(9, '0').slice(0, 9)) };
}

function sku(description: string, group: string, usageType: string, regions: readonly string[], usageUnit: string, unitDescription: string, usd: string): Record<string, unknown> {
  const id = skuId(`${description}|${regions.join(',')}`);
  return {
    name: `${COMPUTE_SERVICE}/skus/${id}`,
    skuId: id,
    description,
    category: { serviceDisplayName: 'Compute Engine', resourceFamily: 'Compute', resourceGroup: group, usageType },
    serviceRegions: [...regions],
    pricingInfo: [
      {
        summary: '',
        pricingExpression: {
          usageUnit,
          displayQuantity: 1,
          tieredRates: [{ startUsageAmount: 0, unitPrice: unitPrice(usd) }],
          usageUnitDescription: unitDescription,
          baseUnit: usageUnit === 'h' ? 's' : 'By.s',
          baseUnitDescription: usageUnit === 'h' ? 'second' : 'byte second',
          baseUnitConversionFactor: usageUnit === 'h' ? 3600 : 3865470566400,
        },
        currencyConversionRate: 1,
        effectiveTime: '2026-12-01T00:00:00.000Z',
      },
    ],
    serviceProviderName: 'Google',
    geoTaxonomy: { type: regions.length === 1 ? 'REGIONAL' : 'MULTI_REGIONAL', regions: [...regions] },
  };
}

export function rateSku(r: RateSpec): Record<string, unknown> {
  const where = `running in ${r.location ?? 'Americas'}`;
  const prefix = r.kind === 'spot' ? 'Spot Preemptible ' : '';
  const usageType = r.kind === 'spot' ? 'Preemptible' : 'OnDemand';
  if (r.resource === 'gpu') return sku(`${prefix}${gpuName(r.name)} GPU ${where}`, 'GPU', usageType, r.regions, 'h', 'hour', r.usd);
  const family = DESCRIPTION_FAMILY[r.name] ?? r.name.toUpperCase();
  const group = r.name === 'n1' ? 'N1Standard' : r.resource === 'core' ? 'CPU' : 'RAM';
  return r.resource === 'core'
    ? sku(`${prefix}${family} Instance Core ${where}`, group, usageType, r.regions, 'h', 'hour', r.usd)
    : sku(`${prefix}${family} Instance Ram ${where}`, group, usageType, r.regions, 'GiBy.h', 'gibibyte hour', r.usd);
}

/**
 * SKUs of the same catalog that are no machine type's price: custom types, commitments, sole
 * tenancy, licences, network egress. A reader must pass over them.
 */
export function unrelatedSkus(regions: readonly string[]): Record<string, unknown>[] {
  return [
    { ...sku('N2 Custom Instance Core running in Americas', 'CPU', 'OnDemand', regions, 'h', 'hour', '0.033174') },
    { ...sku('Commitment v1: E2 Cpu in Americas for 1 Year', 'CPU', 'Commit1Yr', regions, 'h', 'hour', '0.013741') },
    { ...sku('E2 Sole Tenancy Instance Core running in Americas', 'CPU', 'OnDemand', regions, 'h', 'hour', '0.023992') },
    { ...sku('Licensing Fee for Windows Server 2022 (CPU cost)', 'CPU', 'OnDemand', regions, 'h', 'hour', '0.046') },
    sku('Network Internet Egress from Americas to Americas', 'PremiumInternetEgress', 'OnDemand', regions, 'GiBy', 'gibibyte', '0.12'),
  ];
}
