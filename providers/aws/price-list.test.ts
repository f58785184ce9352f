import { describe, expect, it } from '@jest/globals';
import { parseCsvLine, priceRowReader, renderPriceTable, trimPrice } from './price-list.js';

const HEADER = ['SKU', 'OfferTermCode', 'RateCode', 'TermType', 'PriceDescription', 'EffectiveDate', 'StartingRange', 'EndingRange', 'Unit', 'PricePerUnit', 'Currency', 'Product Family', 'serviceCode', 'Location', 'Instance Type', 'Tenancy', 'Operating System', 'License Model', 'CapacityStatus', 'Pre Installed S/W'];
const row = (over: Record<string, string>): string[] => {
  const base: Record<string, string> = { TermType: 'OnDemand', Unit: 'Hrs', PricePerUnit: '0.0104000000', Currency: 'USD', 'Product Family': 'Compute Instance', 'Instance Type': 't3.micro', Tenancy: 'Shared', 'Operating System': 'Linux', 'License Model': 'No License required', CapacityStatus: 'Used', 'Pre Installed S/W': 'NA' };
  return HEADER.map((h) => ({ ...base, ...over })[h] ?? '');
};

describe('AWS Price List offer file (CSV)', () => {
  it('splits quoted fields with commas and doubled quotes', () => {
    expect(parseCsvLine('"a","b,c","say ""hi""",,plain')).toEqual(['a', 'b,c', 'say "hi"', '', 'plain']);
  });

  it('takes only on-demand Linux shared-tenancy hourly USD rows', () => {
    const read = priceRowReader(HEADER);
    expect(read(row({}))).toEqual({ instanceType: 't3.micro', usdPerHour: '0.0104' });
    expect(read(row({ TermType: 'Reserved' }))).toBeUndefined();
    expect(read(row({ 'Operating System': 'Windows' }))).toBeUndefined();
    expect(read(row({ Tenancy: 'Dedicated' }))).toBeUndefined();
    expect(read(row({ 'Pre Installed S/W': 'SQL Std' }))).toBeUndefined();
    expect(read(row({ CapacityStatus: 'UnusedCapacityReservation' }))).toBeUndefined();
    expect(read(row({ PricePerUnit: 'n/a' }))).toBeUndefined();
  });

  it('names the missing column when the format changed', () => {
    expect(() => priceRowReader(HEADER.filter((h) => h !== 'Tenancy'))).toThrow(/no "Tenancy" column/);
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
    expect(source.indexOf('"t3.micro"')).toBeLessThan(source.indexOf('"t3.small"'));
  });
});
