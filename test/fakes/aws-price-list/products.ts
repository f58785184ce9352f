/**
 * EC2 products as the Price List Query API's GetProducts sends them (each one a JSON string in
 * PriceList), in the shape of AWS's own example (the AWS CLI reference for `aws pricing
 * get-products`) and of the EC2 offer file's product attributes
 * (https://docs.aws.amazon.com/awsaccountbilling/latest/aboutv2/reading-service-price-list-file-for-services.html):
 * product {productFamily, attributes, sku}, serviceCode, terms {OnDemand, Reserved} keyed by SKU.offerTermCode,
 * priceDimensions keyed by SKU.offerTermCode.rateCode, prices as ten-decimal strings.
 */
import { createHash } from 'node:crypto';

export interface Ec2PriceSpec {
  readonly region: string;
  readonly instanceType: string;
  /** USD per hour as AWS writes it, e.g. "0.0104000000". */
  readonly usd: string;
  /** Attribute overrides, to make the products polyfleet must not read: Windows, dedicated tenancy, … */
  readonly attributes?: Readonly<Record<string, string>>;
  /** Product family; "Compute Instance" unless given. */
  readonly productFamily?: string;
}

/** The Price List's location names of the regions the fakes price. */
const LOCATIONS: Readonly<Record<string, string>> = {
  'us-east-1': 'US East (N. Virginia)',
  'us-east-2': 'US East (Ohio)',
  'us-west-2': 'US West (Oregon)',
  'eu-west-1': 'EU (Ireland)',
  'eu-central-1': 'EU (Frankfurt)',
};

/** Usage type prefixes of those regions (USE1-BoxUsage:… outside us-east-1, BoxUsage:… in it). */
const USAGE_PREFIX: Readonly<Record<string, string>> = { 'us-east-1': '', 'us-east-2': 'USE2-', 'us-west-2': 'USW2-', 'eu-west-1': 'EU-', 'eu-central-1': 'EUC1-' };

const ON_DEMAND = 'JRTCKXETXF';
const PER_HOUR_RATE = '6YS6EN2CT7';
const RESERVED_1YR_NO_UPFRONT = '4NA7Y494T4';
const PUBLISHED = '2026-11-30T21:14:09Z';

/** A stable 16-character SKU for the spec, as AWS's look: upper-case letters and digits. */
function skuOf(spec: Ec2PriceSpec): string {
  const digest = createHash('sha256').update(JSON.stringify(spec)).digest();
  const alphabet = 'ABCDEFGHJKMNPQRSTUVWXYZ23456789';
  return Array.from(digest.subarray(0, 16), (b) => alphabet.charAt(b % alphabet.length)).join('');
}

/** One product as GetProducts returns it, before it is turned into its JSON string. */
export function ec2Product(spec: Ec2PriceSpec): Record<string, unknown> {
  const sku = skuOf(spec);
  const location = LOCATIONS[spec.region] ?? spec.region;
  const attributes = {
    memory: '1 GiB',
    vcpu: '2',
    instanceFamily: 'General purpose',
    operatingSystem: 'Linux',
    tenancy: 'Shared',
    preInstalledSw: 'NA',
    licenseModel: 'No License required',
    capacitystatus: 'Used',
    marketoption: 'OnDemand',
    operation: 'RunInstances',
    usagetype: `${USAGE_PREFIX[spec.region] ?? ''}BoxUsage:${spec.instanceType}`,
    instanceType: spec.instanceType,
    location,
    locationType: 'AWS Region',
    regionCode: spec.region,
    servicecode: 'AmazonEC2',
    servicename: 'Amazon Elastic Compute Cloud',
    currentGeneration: 'Yes',
    processorArchitecture: '64-bit',
    ...spec.attributes,
  };
  const dollars = spec.usd.replace(/0+$/, '').replace(/\.$/, '');
  return {
    product: { productFamily: spec.productFamily ?? 'Compute Instance', attributes, sku },
    serviceCode: 'AmazonEC2',
    terms: {
      OnDemand: {
        [`${sku}.${ON_DEMAND}`]: {
          priceDimensions: {
            [`${sku}.${ON_DEMAND}.${PER_HOUR_RATE}`]: {
              unit: 'Hrs',
              endRange: 'Inf',
              description: `$${dollars} per On Demand ${attributes.operatingSystem} ${spec.instanceType} Instance Hour`,
              appliesTo: [],
              rateCode: `${sku}.${ON_DEMAND}.${PER_HOUR_RATE}`,
              beginRange: '0',
              pricePerUnit: { USD: spec.usd },
            },
          },
          sku,
          effectiveDate: '2026-11-01T00:00:00Z',
          offerTermCode: ON_DEMAND,
          termAttributes: {},
        },
      },
      Reserved: {
        [`${sku}.${RESERVED_1YR_NO_UPFRONT}`]: {
          priceDimensions: {
            [`${sku}.${RESERVED_1YR_NO_UPFRONT}.${PER_HOUR_RATE}`]: {
              unit: 'Hrs',
              endRange: 'Inf',
              description: `${attributes.operatingSystem} (Amazon VPC), ${spec.instanceType} reserved instance applied`,
              appliesTo: [],
              rateCode: `${sku}.${RESERVED_1YR_NO_UPFRONT}.${PER_HOUR_RATE}`,
              beginRange: '0',
              // Reserved is cheaper: a reader taking the wrong term would show it.
              pricePerUnit: { USD: '0.0010000000' },
            },
          },
          sku,
          effectiveDate: '2026-11-01T00:00:00Z',
          offerTermCode: RESERVED_1YR_NO_UPFRONT,
          termAttributes: { LeaseContractLength: '1yr', OfferingClass: 'standard', PurchaseOption: 'No Upfront' },
        },
      },
    },
    version: '20261130211409',
    publicationDate: PUBLISHED,
  };
}

/**
 * Each priced type with the products beside it that a reader must leave out: the same type on
 * Windows, on dedicated tenancy, with SQL Server, and its unused capacity reservation line.
 */
export function ec2Catalogue(prices: readonly Omit<Ec2PriceSpec, 'attributes' | 'productFamily'>[]): Record<string, unknown>[] {
  return prices.flatMap((p) => [
    ec2Product(p),
    ec2Product({ ...p, usd: '0.0001000000', attributes: { operatingSystem: 'Windows', licenseModel: 'No License required', operation: 'RunInstances:0002' } }),
    ec2Product({ ...p, usd: '0.0002000000', attributes: { tenancy: 'Dedicated' } }),
    ec2Product({ ...p, usd: '0.0003000000', attributes: { preInstalledSw: 'SQL Std', operation: 'RunInstances:0004' } }),
    ec2Product({ ...p, usd: '0.0004000000', attributes: { capacitystatus: 'UnusedCapacityReservation' } }),
  ]);
}
