import { createHash } from 'node:crypto';
import type { ProviderAccount } from '../../api/index.js';
import { createProvider, type PriceBook, type Provider, type ProviderCredentials, type ProviderOptions } from '../../providers/index.js';

/**
 * Where an account's credentials come from: a Secret in a cluster (clusterCredentials), files or
 * env standalone (standaloneCredentials). Never logged; errors name where they looked, not what they found.
 */
export interface CredentialSource {
  credentials(namespace: string, account: ProviderAccount): Promise<ProviderCredentials>;
}

/** Accounts that need no credentials (sim, tests). */
export const noCredentials: CredentialSource = { credentials: () => Promise.resolve({}) };

/** Hands out one Provider per account of a Strategy, built once and reused (adapters keep connections). */
export interface ProviderResolver {
  forAccount(namespace: string, account: ProviderAccount): Promise<Provider>;
}

interface Built {
  /** Everything the adapter was made from. */
  readonly shape: string;
  /** Shared by concurrent callers, so one account never gets two adapters (two concurrency limits). */
  readonly provider: Promise<Provider>;
}

/**
 * The credentials are asked for on every call (the sources keep their own short caches), and the
 * Provider is rebuilt when anything it was made from changed: the account as the Strategy spells
 * it (type, endpoint, Secret name, credential references, project, prices, regions) or the
 * credentials themselves, held only as a hash. One Provider per (namespace, account name) is kept,
 * so edits replace it instead of piling up. A failure (Secret missing, type without an adapter) is
 * never kept: the next call tries again. `priceBooks`, given, is where each account's prices outlive the process.
 */
export function createProviderResolver(credentials: CredentialSource, options: ProviderOptions, priceBooks?: (namespace: string, account: ProviderAccount) => PriceBook): ProviderResolver {
  const built = new Map<string, Built>();
  return {
    async forAccount(namespace, account) {
      const found = await credentials.credentials(namespace, account);
      const key = JSON.stringify([namespace, account.name]);
      const shape = `${JSON.stringify(account)}\u0000${credentialsHash(found)}`;
      const current = built.get(key);
      if (current?.shape === shape) return current.provider;
      const provider = createProvider(account, found, priceBooks === undefined ? options : { ...options, priceBook: priceBooks(namespace, account) });
      built.set(key, { shape, provider });
      // A type without an adapter is not remembered: nothing else about it is, either.
      provider.catch(() => {
        if (built.get(key)?.provider === provider) built.delete(key);
      });
      return provider;
    },
  };
}

function credentialsHash(credentials: ProviderCredentials): string {
  const sorted = Object.entries(credentials).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return createHash('sha256').update(JSON.stringify(sorted)).digest('hex');
}
