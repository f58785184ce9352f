import { GetProductsCommand, PricingClient } from '@aws-sdk/client-pricing';
import type { AwsCredentials } from './clients.js';
import { parsePriceListItem, priceListFilters } from './price-list.js';

/**
 * Where the Price List Query API answers: it has endpoints in us-east-1, eu-central-1 and
 * ap-south-1 only, each serving every region's prices.
 */
export const PRICE_LIST_REGION = 'us-east-1';

/** GetProducts' largest page. */
const PAGE_SIZE = 100;

/** How long one GetProducts page may take: a pricing API that hangs must not hold offerings up. */
export const DEFAULT_PRICE_LIST_TIMEOUT_MS = 20_000;

export interface PricingClientSettings {
  readonly credentials?: AwsCredentials;
  /** The Price List endpoint to use instead of AWS's. */
  readonly endpoint?: string;
  /** Per request; default DEFAULT_PRICE_LIST_TIMEOUT_MS. */
  readonly timeoutMs?: number;
}

export function pricingClient(settings: PricingClientSettings): PricingClient {
  return new PricingClient({
    region: PRICE_LIST_REGION,
    // As for EC2: the caller decides when to try again.
    maxAttempts: 1,
    requestHandler: { connectionTimeout: settings.timeoutMs ?? DEFAULT_PRICE_LIST_TIMEOUT_MS, requestTimeout: settings.timeoutMs ?? DEFAULT_PRICE_LIST_TIMEOUT_MS, throwOnRequestTimeout: true },
    ...(settings.endpoint === undefined ? {} : { endpoint: settings.endpoint }),
    ...(settings.credentials === undefined ? {} : { credentials: settings.credentials }),
  });
}

/** Instance type → on-demand Linux USD per hour in `region`, over every page of GetProducts. */
export async function readRegionPrices(client: PricingClient, region: string): Promise<Record<string, string>> {
  const prices: Record<string, string> = {};
  let token: string | undefined;
  do {
    const page = await client.send(
      new GetProductsCommand({ ServiceCode: 'AmazonEC2', FormatVersion: 'aws_v1', Filters: priceListFilters(region), MaxResults: PAGE_SIZE, NextToken: token }),
    );
    for (const item of page.PriceList ?? []) {
      const row = parsePriceListItem(entryText(item));
      if (row !== undefined && row.region === region) prices[row.instanceType] = row.usdPerHour;
    }
    token = page.NextToken === '' ? undefined : page.NextToken;
  } while (token !== undefined);
  return prices;
}

/** A PriceList entry's JSON text: the SDK hands each one over as a String object (smithy's LazyJsonString), not a string. */
function entryText(item: unknown): string {
  if (typeof item === 'string') return item;
  if (item instanceof String) return item.toString();
  throw new Error(`a PriceList entry is a ${typeof item}, not the JSON string GetProducts sends`);
}
