// The Price List fake answers as GetProducts does (API reference): filters of every type, pages of
// MaxResults with a NextToken good only for the query it continues, and errors in AWS JSON 1.1's
// shape, which the SDK turns into its named exceptions. No moto needed: the front answers these itself.
import { GetProductsCommand, PricingClient } from '@aws-sdk/client-pricing';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startAwsFront } from '../fakes/aws-front.js';
import type { AwsFront } from '../fakes/aws-front.js';
import { ec2Catalogue, fakePriceList } from '../fakes/aws-price-list/index.js';

const KEYS = { accessKeyId: 'AKIAPOLYFLEETFAKE000', secretAccessKey: 'polyfleet-fake-secret-access-key' };
const priceList = fakePriceList(
  ec2Catalogue([
    { region: 'us-east-1', instanceType: 't3.micro', usd: '0.0104000000' },
    { region: 'us-east-1', instanceType: 't3.small', usd: '0.0208000000' },
    { region: 'eu-west-1', instanceType: 't3.micro', usd: '0.0114000000' },
  ]),
);
let front: AwsFront;
let client: PricingClient;

beforeAll(async () => {
  // Nothing listens upstream: only Price List calls are sent, and the front answers them.
  front = await startAwsFront(9, { accessKeys: { [KEYS.accessKeyId]: KEYS.secretAccessKey }, priceList });
  client = new PricingClient({ region: 'us-east-1', endpoint: front.endpoint, credentials: KEYS, maxAttempts: 1 });
});
afterAll(async () => {
  client.destroy();
  await front.close();
});

const linux = { Type: 'TERM_MATCH' as const, Field: 'operatingSystem', Value: 'Linux' };
/** The PriceList of a page: the SDK types it loosely (smithy's automatic JSON string conversion). */
const entries = (page: { readonly PriceList?: unknown }): unknown[] => (Array.isArray(page.PriceList) ? (page.PriceList as unknown[]) : []);
const types = (list: readonly unknown[]) => list.map((p) => (JSON.parse(String(p)) as { product: { attributes: { instanceType: string; regionCode: string } } }).product.attributes).map((a) => `${a.regionCode}/${a.instanceType}`);

describe('fake AWS Price List GetProducts', () => {
  it('filters on attributes with TERM_MATCH, ANY_OF and NONE_OF, and sends each product as a JSON string', async () => {
    const page = await client.send(new GetProductsCommand({ ServiceCode: 'AmazonEC2', Filters: [linux, { Type: 'TERM_MATCH', Field: 'tenancy', Value: 'Shared' }, { Type: 'TERM_MATCH', Field: 'capacitystatus', Value: 'Used' }, { Type: 'TERM_MATCH', Field: 'preInstalledSw', Value: 'NA' }, { Type: 'ANY_OF', Field: 'instanceType', Value: 't3.micro, t3.large' }] }));
    expect(types(entries(page)).sort()).toEqual(['eu-west-1/t3.micro', 'us-east-1/t3.micro']);
    expect(page.FormatVersion).toBe('aws_v1');
    const none = await client.send(new GetProductsCommand({ ServiceCode: 'AmazonEC2', Filters: [linux, { Type: 'NONE_OF', Field: 'regionCode', Value: 'us-east-1' }, { Type: 'TERM_MATCH', Field: 'tenancy', Value: 'Shared' }, { Type: 'TERM_MATCH', Field: 'capacitystatus', Value: 'Used' }, { Type: 'TERM_MATCH', Field: 'preInstalledSw', Value: 'NA' }] }));
    expect(types(entries(none))).toEqual(['eu-west-1/t3.micro']);
  });

  it('pages with NextToken, and refuses a token for another query', async () => {
    const sizes: number[] = [];
    let token: string | undefined;
    let firstToken: string | undefined;
    do {
      const page = await client.send(new GetProductsCommand({ ServiceCode: 'AmazonEC2', Filters: [linux], MaxResults: 5, NextToken: token }));
      sizes.push(entries(page).length);
      token = page.NextToken;
      firstToken ??= token;
    } while (token !== undefined);
    // Linux: each type itself, and its dedicated, SQL and capacity-reservation lines: 4 for each of 3.
    expect(sizes).toEqual([5, 5, 2]);
    await expect(client.send(new GetProductsCommand({ ServiceCode: 'AmazonEC2', MaxResults: 5, NextToken: firstToken }))).rejects.toMatchObject({ name: 'InvalidNextTokenException' });
  });

  it('refuses what GetProducts refuses, with its exception names', async () => {
    await expect(client.send(new GetProductsCommand({ ServiceCode: 'AmazonEC2', MaxResults: 101 }))).rejects.toMatchObject({ name: 'InvalidParameterException' });
    await expect(client.send(new GetProductsCommand({ ServiceCode: 'AmazonEC2', Filters: [{ Type: 'LIKE' as 'EQUALS', Field: 'x', Value: 'y' }] }))).rejects.toMatchObject({ name: 'InvalidParameterException' });
    priceList.setDown(true);
    await expect(client.send(new GetProductsCommand({ ServiceCode: 'AmazonEC2' }))).rejects.toMatchObject({ name: 'InternalErrorException', $metadata: { httpStatusCode: 500 } });
    priceList.setDown(false);
  });

  it('refuses a request not signed with its keys, as the front does for EC2', async () => {
    const wrong = new PricingClient({ region: 'us-east-1', endpoint: front.endpoint, credentials: { ...KEYS, secretAccessKey: 'wrong' }, maxAttempts: 1 });
    await expect(wrong.send(new GetProductsCommand({ ServiceCode: 'AmazonEC2' }))).rejects.toThrow();
    wrong.destroy();
  });
});
