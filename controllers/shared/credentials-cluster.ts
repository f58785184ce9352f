import type { ProviderAccount } from '../../api/index.js';
import type { Clock } from '../../runtime/clock.js';
import { cachedSecretReader, CREDENTIALS_SECRET_TYPE, type SecretContent, type SecretReader } from '../../runtime/secrets/index.js';
import { checkEndpointAllowed, type AllowedEndpoint } from './credentials-endpoints.js';
import { checkCredentialKeys, CredentialsError } from './credentials-error.js';
import type { CredentialSource } from './provider-resolver.js';

export { SECRET_MAX_AGE_MS } from '../../runtime/secrets/index.js';
export * from './credentials-endpoints.js';

export interface ClusterCredentialsOptions {
  readonly secrets: SecretReader;
  readonly clock: Clock;
  readonly maxAgeMs?: number;
  /** Hosts an account's `endpoint` may name (`polyfleet controller --allow-endpoint`); default none. */
  readonly allowedEndpoints?: readonly AllowedEndpoint[];
}

/**
 * `polyfleet controller`: an account's credentials are the data of the Secret its
 * credentialsSecretRef names, in the Strategy's namespace, and that Secret must be of type
 * polyfleet.io/credentials. Reads are kept for `maxAgeMs` (cachedSecretReader).
 *
 * Whoever may write a Strategy is not trusted with the controller's secrets, so:
 * - a Secret of any other type is refused: its type is immutable, so the type is the opt-in of
 *   whoever created it, and a Strategy writer cannot have a TLS key or another team's token sent
 *   to a server they pick;
 * - an `endpoint` whose host the operator did not allow (`allowedEndpoints`) is refused: the
 *   account's credentials and every call would go there;
 * - `credentials:` references (${env.VAR}, ${file:PATH}) are refused: they would read the
 *   controller's own environment and files;
 * - an account with an `endpoint` must name a Secret: without one the SDK falls back on the
 *   controller's ambient credentials (AWS's default chain, Google's Application Default
 *   Credentials) and would send them (a bearer token, a session token) there.
 */
export function clusterCredentials(options: ClusterCredentialsOptions): CredentialSource {
  const secrets = cachedSecretReader({ secrets: options.secrets, clock: options.clock, ...(options.maxAgeMs === undefined ? {} : { maxAgeMs: options.maxAgeMs }) });
  const allowed = options.allowedEndpoints ?? [];
  return {
    async credentials(namespace, account) {
      if (account.credentials !== undefined) {
        throw new CredentialsError(
          account,
          'credentials: references (${env.VAR}, ${file:PATH}) are refused in a cluster, because they would hand the controller\'s own environment and files to whoever may write a Strategy (its endpoint can point anywhere); put the credentials in a Secret and name it in credentialsSecretRef',
        );
      }
      checkEndpointAllowed(account, allowed);
      const ref = account.credentialsSecretRef;
      if (ref === undefined && account.endpoint !== undefined && account.type !== 'sim') {
        throw new CredentialsError(
          account,
          'endpoint is set without a credentialsSecretRef; in a cluster such an account needs a Secret of its own, because the SDK would otherwise send the controller\'s ambient credentials (its pod\'s cloud role or workload identity) to that endpoint',
        );
      }
      if (ref === undefined) return {};
      const where = `Secret ${namespace}/${ref.name}`;
      let secret: SecretContent | undefined;
      try {
        secret = await secrets.read(namespace, ref.name);
      } catch (err) {
        throw new CredentialsError(account, err instanceof Error ? err.message : `reading ${where} failed`);
      }
      if (secret === undefined) {
        throw new CredentialsError(account, `${where} (credentialsSecretRef) does not exist; create it with the account's credentials: ${createSecretCommand(ref.name, account)}`);
      }
      if (secret.type !== CREDENTIALS_SECRET_TYPE) throw new CredentialsError(account, wrongSecretTypeMessage(where, 'credentialsSecretRef', secret.type, createSecretCommand(ref.name, account)));
      return checkCredentialKeys(account, secret.data, where);
    },
  };
}

/**
 * Why a Secret of another type is not used, and how to recreate it (a Secret's type cannot be
 * edited). Names the Secret and its type, never what it holds.
 */
export function wrongSecretTypeMessage(where: string, field: string, type: string, command: string): string {
  return `${where} (${field}) has type "${type}"; polyfleet uses only Secrets of type "${CREDENTIALS_SECRET_TYPE}", so that whoever may write its objects cannot have any other Secret of the namespace sent out. A Secret's type cannot be changed: recreate it with that type, e.g. ${command}`;
}

const KEY_EXAMPLES: Readonly<Record<ProviderAccount['type'], string>> = {
  aws: '--from-literal=accessKeyId=... --from-literal=secretAccessKey=...',
  gcp: '--from-file=serviceAccountKey=key.json',
  digitalocean: '--from-literal=token=...',
  sim: '--from-literal=apiKey=...',
};

function createSecretCommand(name: string, account: ProviderAccount): string {
  return `kubectl create secret generic ${name} --type=${CREDENTIALS_SECRET_TYPE} ${KEY_EXAMPLES[account.type]}`;
}
