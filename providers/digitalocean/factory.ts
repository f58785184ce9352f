import type { ProviderAccount } from '../../api/index.js';
import type { RateBudgetListener } from '../resilience/index.js';
import type { Clock, Provider } from '../types.js';
import { DigitalOceanProvider } from './digitalocean-provider.js';

/**
 * The adapter for a `digitalocean` account: the `token` credential, `account.endpoint` as the user
 * wrote it. Prices are the API's; createProvider's wrapper applies `account.prices` (once, there).
 * The rate-limit wait keeps to the wall clock whatever clock the process injects: it compares
 * with `ratelimit-reset`, which is DigitalOcean's wall-clock time. What the headers say of the
 * budget also goes to the account's rate limiter (`rateBudget`), which slows down before it is spent.
 */
export function digitalOceanProviderFor(
  account: ProviderAccount,
  credentials: Readonly<Record<string, string>>,
  options: { readonly rateBudget?: RateBudgetListener | undefined; readonly clock?: Clock | undefined },
): Provider {
  return new DigitalOceanProvider({
    account: account.name,
    token: credentials.token ?? '',
    ...(options.rateBudget === undefined ? {} : { rateBudget: options.rateBudget }),
    ...(account.endpoint === undefined ? {} : { endpoint: account.endpoint }),
    ...(options.clock === undefined ? {} : { clock: options.clock }),
  });
}
