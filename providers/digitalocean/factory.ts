import type { ProviderAccount } from '../../api/index.js';
import type { Provider } from '../types.js';
import { DigitalOceanProvider } from './digitalocean-provider.js';

/**
 * The adapter for a `digitalocean` account: the `token` credential, `account.endpoint` as the user
 * wrote it. Prices are the API's; createProvider's wrapper applies `account.prices` (once, there).
 * The rate-limit wait keeps to the wall clock whatever clock the process injects: it compares
 * with `ratelimit-reset`, which is DigitalOcean's wall-clock time.
 */
export function digitalOceanProviderFor(account: ProviderAccount, credentials: Readonly<Record<string, string>>, _options: unknown): Provider {
  return new DigitalOceanProvider({
    account: account.name,
    token: credentials.token ?? '',
    ...(account.endpoint === undefined ? {} : { endpoint: account.endpoint }),
  });
}
