import { z } from 'zod';

/**
 * Reading Compute Engine's per-region core, memory and GPU rates from the Cloud Billing Catalog
 * API's `services/6F81-5844-456A/skus` answers
 * (https://cloud.google.com/billing/docs/reference/rest/v1/services.skus/list): each SKU has
 * `category {resourceFamily, resourceGroup, usageType}`, `serviceRegions`, a description naming
 * the machine family, and `pricingInfo[].pricingExpression {usageUnit, tieredRates[].unitPrice
 * {currencyCode, units, nanos}}`. The only reader of Compute Engine prices: the adapter at run
 * time and refresh-prices.ts for the shipped table.
 */

/** Compute Engine's service id in the catalog. */
export const COMPUTE_ENGINE_SERVICE_ID = '6F81-5844-456A';

export type CapacityKind = 'on-demand' | 'spot';

const Money = z.looseObject({ currencyCode: z.string().optional(), units: z.string().optional(), nanos: z.number().int().optional() });
const TieredRate = z.looseObject({ startUsageAmount: z.number().optional(), unitPrice: Money });
export const Sku = z.looseObject({
  name: z.string().optional(),
  skuId: z.string(),
  description: z.string(),
  category: z.looseObject({ resourceFamily: z.string().optional(), resourceGroup: z.string().optional(), usageType: z.string().optional() }),
  serviceRegions: z.array(z.string()).optional(),
  pricingInfo: z.array(z.looseObject({ pricingExpression: z.looseObject({ usageUnit: z.string(), tieredRates: z.array(TieredRate) }) })).optional(),
});
export type Sku = z.infer<typeof Sku>;

export const SkuPage = z.looseObject({ skus: z.array(z.unknown()).optional(), nextPageToken: z.string().optional() });

/**
 * Key of one rate in a region's rates: `core/e2`, `ram/n2`, `gpu/nvidia-l4`, each with a `spot/`
 * prefix for the Spot (preemptible) rate. Values: USD per vCPU hour, per GiB hour, per GPU hour.
 */
export function rateKey(resource: 'core' | 'ram' | 'gpu', name: string, kind: CapacityKind): string {
  return `${kind === 'spot' ? 'spot/' : ''}${resource}/${name}`;
}

/**
 * "E2 Instance Core running in Americas", "Spot Preemptible N2 Instance Ram running in Paris",
 * "N1 Predefined Instance Core running in Americas", "N2D AMD Instance Core running in …",
 * "T2A Arm Instance Ram running in …". Custom, sole-tenant, commitment and other SKUs do not match.
 */
const INSTANCE_SKU = /^(?:(?:Spot )?Preemptible )?([A-Z][A-Z0-9]*)(?: AMD| Arm| Intel)?(?: Predefined)? Instance (Core|Ram) running in /;
/** "Nvidia L4 GPU running in Americas", "Spot Preemptible Nvidia Tesla T4 GPU running in …". */
const GPU_SKU = /^(?:(?:Spot )?Preemptible )?(Nvidia [A-Za-z0-9 ]+?) GPU running in /;

const USAGE_KINDS: Readonly<Record<string, CapacityKind>> = { OnDemand: 'on-demand', Preemptible: 'spot' };
const UNIT_OF: Readonly<Record<'core' | 'ram' | 'gpu', string>> = { core: 'h', ram: 'GiBy.h', gpu: 'h' };

/** `{units: "1", nanos: 500000000}` → "1.5": exact, no float in between. */
export function moneyText(m: z.infer<typeof Money>): string {
  const units = BigInt(m.units ?? '0');
  const nanos = BigInt(m.nanos ?? 0);
  const total = units * 1_000_000_000n + nanos;
  if (total < 0n) throw new Error(`a negative price: ${JSON.stringify(m)}`);
  return nanosText(total);
}

/** Billionths of a dollar as a decimal string without trailing zeros. */
export function nanosText(nanos: bigint): string {
  const whole = nanos / 1_000_000_000n;
  const fraction = (nanos % 1_000_000_000n).toString().padStart(9, '0').replace(/0+$/, '');
  return fraction === '' ? whole.toString() : `${whole}.${fraction}`;
}

/** The SKU's rate key, or undefined when it is no rate of a predefined machine type polyfleet prices. */
function keyOf(sku: Sku): string | undefined {
  const kind = USAGE_KINDS[sku.category.usageType ?? ''];
  if (kind === undefined || sku.category.resourceFamily !== 'Compute') return undefined;
  const instance = INSTANCE_SKU.exec(sku.description);
  if (instance !== null) return rateKey(instance[2] === 'Core' ? 'core' : 'ram', (instance[1] ?? '').toLowerCase(), kind);
  const gpu = sku.category.resourceGroup === 'GPU' ? GPU_SKU.exec(sku.description) : null;
  if (gpu !== null) return rateKey('gpu', (gpu[1] ?? '').toLowerCase().replace(/\s+/g, '-'), kind);
  return undefined;
}

/** The SKU's price past any free tier, checked to be USD in the unit its kind is sold by. */
function rateOf(sku: Sku, key: string): string {
  const resource = key.replace(/^spot\//, '').split('/')[0] as 'core' | 'ram' | 'gpu';
  // The catalog answers with the current pricing only, unless asked for a time range.
  const expression = sku.pricingInfo?.[0]?.pricingExpression;
  if (expression === undefined) throw new Error(`SKU ${sku.skuId} (${sku.description}) has no pricingInfo`);
  if (expression.usageUnit !== UNIT_OF[resource]) throw new Error(`SKU ${sku.skuId} (${sku.description}) is priced per ${JSON.stringify(expression.usageUnit)}, not per ${JSON.stringify(UNIT_OF[resource])}`);
  const tiers = [...expression.tieredRates].sort((a, b) => (a.startUsageAmount ?? 0) - (b.startUsageAmount ?? 0));
  const last = tiers[tiers.length - 1];
  if (last === undefined) throw new Error(`SKU ${sku.skuId} (${sku.description}) has no tieredRates`);
  const currency = last.unitPrice.currencyCode ?? 'USD';
  if (currency !== 'USD') throw new Error(`SKU ${sku.skuId} (${sku.description}) is priced in ${currency}, not USD`);
  return moneyText(last.unitPrice);
}

/**
 * `region`'s rates (rateKey → USD) among `skus`, as the catalog sends them (checked here: a
 * shape it does not send throws, naming the SKU). Two SKUs giving one rate two prices throw too.
 */
export function computeRates(skus: readonly unknown[], region: string): Record<string, string> {
  const rates: Record<string, string> = {};
  for (const raw of skus) {
    const parsed = Sku.safeParse(raw);
    if (!parsed.success) throw new Error(`a SKU is not one the Cloud Billing Catalog sends: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
    const sku = parsed.data;
    if (!(sku.serviceRegions ?? []).includes(region)) continue;
    const key = keyOf(sku);
    if (key === undefined) continue;
    const rate = rateOf(sku, key);
    const seen = rates[key];
    if (seen !== undefined && seen !== rate) throw new Error(`two SKUs price ${key} in ${region}: ${seen} and ${rate} (the second is ${sku.skuId})`);
    rates[key] = rate;
  }
  return rates;
}
