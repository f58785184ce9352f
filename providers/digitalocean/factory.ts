import type { ProviderAccount } from '../../api/index.js';
import type { Clock, Provider } from '../types.js';
import { DigitalOceanProvider } from './digitalocean-provider.js';
import { systemRateLimitTiming } from './rate-limit.js';

/**
 * The adapter for a `digitalocean` account: the `token` credential, `account.endpoint` as the user
 * wrote it. Prices are the API's; createProvider's wrapper applies `account.prices` (once, there).
 * With a clock (tests, the sim-driven world), the rate-limit wait reads it too.
 */
export function digitalOceanProviderFor(account: ProviderAccount, credentials: Readonly<Record<string, string>>, options: { readonly clock?: Clock }): Provider {
  const clock = options.clock;
  return new DigitalOceanProvider({
    account: account.name,
    token: credentials.token ?? '',
    ...(account.endpoint === undefined ? {} : { endpoint: account.endpoint }),
    ...(clock === undefined ? {} : { rateLimitTiming: { ...systemRateLimitTiming, nowMs: () => clock.now().getTime() } }),
  });
}
