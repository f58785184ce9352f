import { z } from 'zod';

/**
 * Reading EC2 on-demand prices from the AWS Price List Query API's GetProducts answers
 * (https://docs.aws.amazon.com/aws-cost-management/latest/APIReference/API_pricing_GetProducts.html):
 * each PriceList entry is one product as a JSON *string*, `{product: {productFamily, attributes, sku},
 * serviceCode, terms: {OnDemand: {TERM: {priceDimensions: {RATE: {unit, pricePerUnit: {USD}}}}}, Reserved: …}}`.
 * The only reader of AWS prices: the adapter at run time and refresh-prices.ts for the shipped table.
 */

/** The attributes that make a product the price polyfleet uses: plain Linux on shared tenancy, bought on demand. */
export const WANTED_ATTRIBUTES: Readonly<Record<string, string>> = {
  operatingSystem: 'Linux',
  tenancy: 'Shared',
  preInstalledSw: 'NA',
  licenseModel: 'No License required',
  capacitystatus: 'Used',
  operation: 'RunInstances',
};

/** The GetProducts filters for `region`: the wanted attributes and the region, so AWS sends no more than is read. */
export function priceListFilters(region: string): { Type: 'TERM_MATCH'; Field: string; Value: string }[] {
  return [{ Field: 'regionCode', Value: region }, ...Object.entries(WANTED_ATTRIBUTES).map(([Field, Value]) => ({ Field, Value }))].map((f) => ({ Type: 'TERM_MATCH', ...f }));
}

const PriceDimension = z.looseObject({ unit: z.string(), pricePerUnit: z.record(z.string(), z.string()) });
const Term = z.looseObject({ priceDimensions: z.record(z.string(), PriceDimension) });
const Product = z.looseObject({
  product: z.looseObject({
    productFamily: z.string().optional(),
    attributes: z.record(z.string(), z.string()),
    sku: z.string(),
  }),
  terms: z.looseObject({ OnDemand: z.record(z.string(), Term).optional() }),
});

export interface PriceRow {
  readonly region: string;
  readonly instanceType: string;
  /** USD per hour, a decimal string as AWS wrote it less trailing zeros. */
  readonly usdPerHour: string;
}

/** The product's on-demand hourly USD price, or undefined when it is not one polyfleet uses; throws on a shape AWS does not send. */
export function parsePriceListItem(item: string): PriceRow | undefined {
  let json: unknown;
  try {
    json = JSON.parse(item);
  } catch {
    throw new Error(`a PriceList entry is not JSON: ${item.slice(0, 80)}`);
  }
  const parsed = Product.safeParse(json);
  if (!parsed.success) throw new Error(`a PriceList entry is not a product as GetProducts sends one: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  const { product, terms } = parsed.data;
  const { attributes } = product;
  if (product.productFamily !== 'Compute Instance') return undefined;
  if (!Object.entries(WANTED_ATTRIBUTES).every(([name, value]) => attributes[name] === value)) return undefined;
  const instanceType = attributes.instanceType;
  const region = attributes.regionCode;
  if (instanceType === undefined || instanceType === '' || region === undefined || region === '') return undefined;
  const prices = new Set(
    Object.values(terms.OnDemand ?? {})
      .flatMap((t) => Object.values(t.priceDimensions))
      .filter((d) => d.unit === 'Hrs')
      .flatMap((d) => (d.pricePerUnit.USD === undefined ? [] : [d.pricePerUnit.USD])),
  );
  if (prices.size > 1) throw new Error(`product ${product.sku} (${instanceType} in ${region}) has ${prices.size} different on-demand hourly prices: ${[...prices].join(', ')}`);
  const [usd] = prices;
  if (usd === undefined || !/^\d+(\.\d+)?$/.test(usd) || !/[1-9]/.test(usd)) return undefined;
  return { region, instanceType, usdPerHour: trimPrice(usd) };
}

/** "0.0104000000" → "0.0104": the table's decimal strings, no float in between. */
export function trimPrice(usd: string): string {
  return usd.includes('.') ? usd.replace(/0+$/, '').replace(/\.$/, '') : usd;
}
