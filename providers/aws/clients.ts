import { EC2Client } from '@aws-sdk/client-ec2';

export interface AwsCredentials {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly sessionToken?: string;
}

export type CredentialsResult =
  | { readonly kind: 'static'; readonly credentials: AwsCredentials }
  | { readonly kind: 'defaultChain' }
  | { readonly kind: 'incomplete'; readonly missing: string };

/**
 * The account's credentials (agreed keys: accessKeyId, secretAccessKey, optional sessionToken).
 * None at all means the SDK's default chain (environment, shared config, instance role); half a
 * pair is an operator's mistake, reported on every call rather than guessed around.
 */
export function credentialsFrom(values: Readonly<Record<string, string>>): CredentialsResult {
  const { accessKeyId, secretAccessKey, sessionToken } = values;
  if (accessKeyId === undefined && secretAccessKey === undefined && sessionToken === undefined) return { kind: 'defaultChain' };
  if (accessKeyId === undefined || accessKeyId === '') return { kind: 'incomplete', missing: 'accessKeyId' };
  if (secretAccessKey === undefined || secretAccessKey === '') return { kind: 'incomplete', missing: 'secretAccessKey' };
  return { kind: 'static', credentials: { accessKeyId, secretAccessKey, ...(sessionToken ? { sessionToken } : {}) } };
}

export interface ClientSettings {
  readonly credentials?: AwsCredentials;
  /** account.endpoint, passed to the SDK as written (every region's client uses it). */
  readonly endpoint?: string;
}

/** One EC2Client per region, made on first use. */
export class RegionClients {
  private readonly clients = new Map<string, EC2Client>();

  constructor(private readonly settings: ClientSettings) {}

  for(region: string): EC2Client {
    let client = this.clients.get(region);
    if (client === undefined) {
      client = new EC2Client({
        region,
        // The registry's wrapper retries with jittered back-off and counts each try; SDK retries would hide them.
        maxAttempts: 1,
        ...(this.settings.endpoint === undefined ? {} : { endpoint: this.settings.endpoint }),
        ...(this.settings.credentials === undefined ? {} : { credentials: this.settings.credentials }),
      });
      this.clients.set(region, client);
    }
    return client;
  }
}
