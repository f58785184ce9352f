// What polyfleet reads of a Secret, apart from how (secret-reader.ts: through the API server), so
// that a standalone process using these never loads the Kubernetes client.

/**
 * The `type` a Secret must have for polyfleet to use it (credentialsSecretRef, userDataSecretRef).
 * A Secret's type is immutable, so this is an opt-in made by whoever created the Secret: a Strategy
 * or NodePool writer who cannot read Secrets cannot have the controller send any other Secret of
 * the namespace (a TLS key, another team's token) to a server of their choosing.
 */
export const CREDENTIALS_SECRET_TYPE = 'polyfleet.io/credentials';

/** A core/v1 Secret's data, decoded: key to value. Never logged. */
export type SecretData = Readonly<Record<string, string>>;

/** What polyfleet reads of a Secret: its type (Opaque when the API server stored none) and its data. */
export interface SecretContent {
  readonly type: string;
  readonly data: SecretData;
}

/** Reads Secrets; the only way polyfleet reaches them, so RBAC needs `get` on secrets and nothing more. */
export interface SecretReader {
  /** The Secret's type and data, or undefined if there is no such Secret. */
  read(namespace: string, name: string): Promise<SecretContent | undefined>;
}

/** `data` is base64 (`stringData` is write-only and never comes back). */
export function decodeSecretData(data: Readonly<Record<string, string>> | undefined): SecretData {
  return Object.fromEntries(Object.entries(data ?? {}).map(([key, value]) => [key, Buffer.from(value, 'base64').toString('utf8')]));
}
