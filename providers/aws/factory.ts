import type { ProviderAccount } from '../../api/index.js';
import type { PriceBook } from '../pricing/index.js';
import type { ProviderObserver } from '../resilience/index.js';
import type { Clock } from '../types.js';
import { AwsProvider } from './aws-provider.js';

/**
 * The registry's factory: a Strategy's aws account, its credentials, the process's clock, the
 * account's price book, and the observer told of every failed Price List read (why prices are stale).
 * `account.prices` goes in too, so a type missing from the shipped table but priced by the account
 * is offered at all (the registry's wrapper applying the same override again changes nothing).
 */
export function awsProviderFor(account: ProviderAccount, credentials: Readonly<Record<string, string>>, options: { readonly clock?: Clock; readonly priceBook?: PriceBook; readonly priceTtlMs?: number; readonly observer?: ProviderObserver | undefined }): AwsProvider {
  const observer = options.observer;
  return new AwsProvider({
    account: account.name,
    credentials,
    ...(account.endpoint === undefined ? {} : { endpoint: account.endpoint }),
    ...(account.regions === undefined || account.regions.length === 0 ? {} : { regions: account.regions }),
    ...(account.prices === undefined ? {} : { prices: account.prices }),
    ...(options.clock === undefined ? {} : { clock: options.clock }),
    ...(options.priceBook === undefined ? {} : { priceBook: options.priceBook }),
    ...(options.priceTtlMs === undefined ? {} : { priceTtlMs: options.priceTtlMs }),
    ...(observer?.priceReadFailed === undefined
      ? {}
      : { onPriceError: (region: string, err: unknown) => observer.priceReadFailed?.({ provider: 'aws', account: account.name, region, reason: err instanceof Error ? err.message : String(err) }) }),
  });
}
