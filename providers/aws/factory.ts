import type { ProviderAccount } from '../../api/index.js';
import type { PriceBook } from '../pricing/index.js';
import type { Clock } from '../types.js';
import { AwsProvider } from './aws-provider.js';

/**
 * The registry's factory: a Strategy's aws account, its credentials and the process's clock.
 * `account.prices` goes in too, so a type missing from the shipped table but priced by the account
 * is offered at all (the registry's wrapper applying the same override again changes nothing).
 */
export function awsProviderFor(account: ProviderAccount, credentials: Readonly<Record<string, string>>, options: { readonly clock?: Clock; readonly priceBook?: PriceBook }): AwsProvider {
  return new AwsProvider({
    account: account.name,
    credentials,
    ...(account.endpoint === undefined ? {} : { endpoint: account.endpoint }),
    ...(account.regions === undefined || account.regions.length === 0 ? {} : { regions: account.regions }),
    ...(account.prices === undefined ? {} : { prices: account.prices }),
    ...(options.clock === undefined ? {} : { clock: options.clock }),
    ...(options.priceBook === undefined ? {} : { priceBook: options.priceBook }),
  });
}
