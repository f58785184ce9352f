import type { Clock } from '../../runtime/clock.js';
import type { SecretData, SecretReader } from '../../runtime/secrets/index.js';
import { checkCredentialKeys, CredentialsError } from './credentials-error.js';
import type { CredentialSource } from './provider-resolver.js';

/** A Secret read is kept this long, so an edited Secret is in use this soon after. */
export const SECRET_MAX_AGE_MS = 30_000;

export interface ClusterCredentialsOptions {
  readonly secrets: SecretReader;
  readonly clock: Clock;
  readonly maxAgeMs?: number;
}

interface CachedRead {
  readonly readAtMs: number;
  readonly data: Promise<SecretData | undefined>;
}

/**
 * `polyfleet controller`: an account's credentials are the data of the Secret its
 * credentialsSecretRef names, in the Strategy's namespace. Reads are kept for `maxAgeMs` (every
 * account of every reconcile would otherwise GET it); a missing Secret or a failed read is not
 * kept, so the next reconcile finds a Secret as soon as it is created.
 *
 * `credentials:` references (${env.VAR}, ${file:PATH}) are refused here: they would read the
 * controller's own environment and files, and whoever may write a Strategy could point the
 * account's `endpoint` at a server of their own and receive them. For the same reason an account
 * with an `endpoint` must name a Secret: without one the SDK falls back on the controller's ambient
 * credentials (AWS's default chain, Google's Application Default Credentials) and would send them
 * (a bearer token, a session token) there.
 */
export function clusterCredentials(options: ClusterCredentialsOptions): CredentialSource {
  const maxAgeMs = options.maxAgeMs ?? SECRET_MAX_AGE_MS;
  const cache = new Map<string, CachedRead>();

  function read(namespace: string, name: string): Promise<SecretData | undefined> {
    const key = `${namespace}/${name}`;
    const now = options.clock.now().getTime();
    const hit = cache.get(key);
    if (hit !== undefined && now - hit.readAtMs < maxAgeMs) return hit.data;
    const entry: CachedRead = { readAtMs: now, data: options.secrets.read(namespace, name) };
    cache.set(key, entry);
    const forget = (): void => {
      if (cache.get(key) === entry) cache.delete(key);
    };
    void entry.data.then((data) => {
      if (data === undefined) forget();
    }, forget);
    return entry.data;
  }

  return {
    async credentials(namespace, account) {
      if (account.credentials !== undefined) {
        throw new CredentialsError(
          account,
          'credentials: references (${env.VAR}, ${file:PATH}) are refused in a cluster, because they would hand the controller\'s own environment and files to whoever may write a Strategy (its endpoint can point anywhere); put the credentials in a Secret and name it in credentialsSecretRef',
        );
      }
      const ref = account.credentialsSecretRef;
      if (ref === undefined && account.endpoint !== undefined && account.type !== 'sim') {
        throw new CredentialsError(
          account,
          'endpoint is set without a credentialsSecretRef; in a cluster such an account needs a Secret of its own, because the SDK would otherwise send the controller\'s ambient credentials (its pod\'s cloud role or workload identity) to that endpoint',
        );
      }
      if (ref === undefined) return {};
      const where = `Secret ${namespace}/${ref.name}`;
      let data: SecretData | undefined;
      try {
        data = await read(namespace, ref.name);
      } catch (err) {
        throw new CredentialsError(account, err instanceof Error ? err.message : `reading ${where} failed`);
      }
      if (data === undefined) throw new CredentialsError(account, `${where} (credentialsSecretRef) does not exist; create it with the account's credentials`);
      return checkCredentialKeys(account, data, where);
    },
  };
}
