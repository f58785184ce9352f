import { describe, expect, it } from '@jest/globals';
import { parsePriceListItem, priceListFilters, trimPrice } from './price-list.js';
import { renderPriceTable } from './render-price-table.js';

/**
 * One PriceList entry as GetProducts returns it (a JSON string), written out in the shape of AWS's
 * own example in the AWS CLI reference for `aws pricing get-products`, with an EC2 compute product's
 * attributes: the parser is held to AWS's shape, not to the test fake's.
 */
const T3_MICRO_US_EAST_1 =
  '{"product":{"productFamily":"Compute Instance","attributes":{"enhancedNetworkingSupported":"Yes","intelTurboAvailable":"Yes","memory":"1 GiB","dedicatedEbsThroughput":"Up to 2085 Mbps","vcpu":"2","classicnetworkingsupport":"false","capacitystatus":"Used","locationType":"AWS Region","storage":"EBS only","instanceFamily":"General purpose","operatingSystem":"Linux","intelAvx2Available":"Yes","regionCode":"us-east-1","physicalProcessor":"Intel Skylake E5 2686 v5","clockSpeed":"3.1 GHz","ecu":"Variable","networkPerformance":"Up to 5 Gigabit","servicename":"Amazon Elastic Compute Cloud","gpuMemory":"NA","vpcnetworkingsupport":"true","instanceType":"t3.micro","tenancy":"Shared","usagetype":"BoxUsage:t3.micro","normalizationSizeFactor":"0.5","intelAvxAvailable":"Yes","processorFeatures":"AVX; AVX2; Intel AVX; Intel AVX2; Intel AVX512; Intel Turbo","servicecode":"AmazonEC2","licenseModel":"No License required","currentGeneration":"Yes","preInstalledSw":"NA","location":"US East (N. Virginia)","processorArchitecture":"64-bit","marketoption":"OnDemand","operation":"RunInstances","availabilityzone":"NA"},"sku":"V9RKCTUPAHVKD4A5"},"serviceCode":"AmazonEC2","terms":{"OnDemand":{"V9RKCTUPAHVKD4A5.JRTCKXETXF":{"priceDimensions":{"V9RKCTUPAHVKD4A5.JRTCKXETXF.6YS6EN2CT7":{"unit":"Hrs","endRange":"Inf","description":"$0.0104 per On Demand Linux t3.micro Instance Hour","appliesTo":[],"rateCode":"V9RKCTUPAHVKD4A5.JRTCKXETXF.6YS6EN2CT7","beginRange":"0","pricePerUnit":{"USD":"0.0104000000"}}},"sku":"V9RKCTUPAHVKD4A5","effectiveDate":"2026-11-01T00:00:00Z","offerTermCode":"JRTCKXETXF","termAttributes":{}}},"Reserved":{"V9RKCTUPAHVKD4A5.4NA7Y494T4":{"priceDimensions":{"V9RKCTUPAHVKD4A5.4NA7Y494T4.6YS6EN2CT7":{"unit":"Hrs","endRange":"Inf","description":"Linux/UNIX (Amazon VPC), t3.micro reserved instance applied","appliesTo":[],"rateCode":"V9RKCTUPAHVKD4A5.4NA7Y494T4.6YS6EN2CT7","beginRange":"0","pricePerUnit":{"USD":"0.0065000000"}}},"sku":"V9RKCTUPAHVKD4A5","effectiveDate":"2026-11-01T00:00:00Z","offerTermCode":"4NA7Y494T4","termAttributes":{"LeaseContractLength":"1yr","OfferingClass":"standard","PurchaseOption":"No Upfront"}}}},"version":"20261130211409","publicationDate":"2026-11-30T21:14:09Z"}';

interface Entry {
  product: { productFamily: string; attributes: Record<string, string> };
  terms: Record<string, unknown>;
}

/** The same entry with `edit` applied to its parsed form. */
function edited(edit: (p: Entry) => void): string {
  const parsed = JSON.parse(T3_MICRO_US_EAST_1) as Entry;
  edit(parsed);
  return JSON.stringify(parsed);
}

describe('AWS Price List GetProducts entries', () => {
  it('reads the on-demand hourly USD price, not the reserved one', () => {
    expect(parsePriceListItem(T3_MICRO_US_EAST_1)).toEqual({ region: 'us-east-1', instanceType: 't3.micro', usdPerHour: '0.0104' });
  });

  it.each([
    ['Windows', (p: Entry) => (p.product.attributes.operatingSystem = 'Windows')],
    ['dedicated tenancy', (p: Entry) => (p.product.attributes.tenancy = 'Dedicated')],
    ['SQL Server pre-installed', (p: Entry) => (p.product.attributes.preInstalledSw = 'SQL Std')],
    ['an unused capacity reservation', (p: Entry) => (p.product.attributes.capacitystatus = 'UnusedCapacityReservation')],
    ['a dedicated host', (p: Entry) => (p.product.productFamily = 'Dedicated Host')],
    ['no on-demand term', (p: Entry) => delete p.terms.OnDemand],
  ])('leaves out %s', (_name, edit) => {
    expect(parsePriceListItem(edited(edit))).toBeUndefined();
  });

  it('names what is wrong with an entry AWS would not send', () => {
    expect(() => parsePriceListItem('{"product":')).toThrow(/not JSON/);
    expect(() => parsePriceListItem('{"terms":{}}')).toThrow(/not a product as GetProducts sends one: product/);
  });

  it('refuses to pick between two on-demand prices of one product', () => {
    const twice = edited((p) => {
      const terms = p.terms.OnDemand as Record<string, { priceDimensions: Record<string, unknown> }>;
      const term = Object.values(terms)[0];
      if (term !== undefined) term.priceDimensions.other = { unit: 'Hrs', pricePerUnit: { USD: '0.0200000000' } };
    });
    expect(() => parsePriceListItem(twice)).toThrow(/t3\.micro in us-east-1\) has 2 different on-demand hourly prices: 0\.0104000000, 0\.0200000000/);
  });

  it('asks AWS only for plain Linux on shared tenancy in the region', () => {
    expect(priceListFilters('eu-west-1')).toEqual([
      { Type: 'TERM_MATCH', Field: 'regionCode', Value: 'eu-west-1' },
      { Type: 'TERM_MATCH', Field: 'operatingSystem', Value: 'Linux' },
      { Type: 'TERM_MATCH', Field: 'tenancy', Value: 'Shared' },
      { Type: 'TERM_MATCH', Field: 'preInstalledSw', Value: 'NA' },
      { Type: 'TERM_MATCH', Field: 'licenseModel', Value: 'No License required' },
      { Type: 'TERM_MATCH', Field: 'capacitystatus', Value: 'Used' },
      { Type: 'TERM_MATCH', Field: 'operation', Value: 'RunInstances' },
    ]);
  });

  it('trims trailing zeros without going through a float', () => {
    expect(trimPrice('0.0104000000')).toBe('0.0104');
    expect(trimPrice('1.0000000000')).toBe('1');
    expect(trimPrice('12')).toBe('12');
  });

  it('renders a table module that says where the figures came from', () => {
    const source = renderPriceTable({ refreshed: '2026-01-02', source: 'price-list-api', regions: { 'us-east-1': { 't3.small': '0.0208', 't3.micro': '0.0104' } } });
    expect(source).toContain('refreshed: "2026-01-02"');
    expect(source).toContain('source: "price-list-api"');
    expect(source).toContain('Query API (GetProducts), read by the same code the adapter uses');
    expect(source.indexOf('"t3.micro"')).toBeLessThan(source.indexOf('"t3.small"'));
  });
});
