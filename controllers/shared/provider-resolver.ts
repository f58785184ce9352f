import type { ProviderAccount } from '../../api/index.js';
import { createProvider, type Provider, type ProviderCredentials, type ProviderOptions } from '../../providers/index.js';

/** Where an account's credentials come from: a Secret in a cluster, files or env standalone. Never logged. */
export interface CredentialSource {
  credentials(namespace: string, account: ProviderAccount): Promise<ProviderCredentials>;
}

/** Accounts that need no credentials (sim) — and the standalone default until file/env sources exist. */
export const noCredentials: CredentialSource = { credentials: () => Promise.resolve({}) };

/** Hands out one Provider per account of a Strategy, built once and reused (adapters keep connections). */
export interface ProviderResolver {
  forAccount(namespace: string, account: ProviderAccount): Promise<Provider>;
}

export function createProviderResolver(credentials: CredentialSource, options: ProviderOptions): ProviderResolver {
  const cache = new Map<string, Promise<Provider>>();
  return {
    forAccount(namespace, account) {
      // Everything that shapes the adapter is in the key: an edited endpoint or Secret gets a new one.
      const key = JSON.stringify([namespace, account.name, account.type, account.endpoint ?? '', account.credentialsSecretRef?.name ?? '']);
      let provider = cache.get(key);
      if (provider === undefined) {
        provider = credentials.credentials(namespace, account).then((c) => createProvider(account, c, options));
        // A failed lookup (Secret missing) must not be remembered: the next reconcile tries again.
        void provider.catch(() => cache.delete(key));
        cache.set(key, provider);
      }
      return provider;
    },
  };
}
