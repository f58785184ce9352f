import type { ProviderAccount } from '../../api/index.js';
import { missingCredentialKeys, type ProviderCredentials } from '../../providers/index.js';

/**
 * An account's credentials cannot be had. The message names the account and where they were looked
 * for (namespace, Secret, key, variable, file) so the operator can fix it, and never holds a value.
 */
export class CredentialsError extends Error {
  constructor(account: ProviderAccount, detail: string) {
    super(`provider account "${account.name}": ${detail}`);
    this.name = 'CredentialsError';
  }
}

/** Throws naming `where` when `credentials` lack what the account's type needs. */
export function checkCredentialKeys(account: ProviderAccount, credentials: ProviderCredentials, where: string): ProviderCredentials {
  const missing = missingCredentialKeys(account.type, credentials);
  if (missing === undefined) return credentials;
  const present = Object.keys(credentials);
  const has = present.length === 0 ? 'no keys' : `only ${present.map((k) => `"${k}"`).join(', ')}`;
  throw new CredentialsError(account, `${where} has ${has}; a ${account.type} account needs ${missing}`);
}
