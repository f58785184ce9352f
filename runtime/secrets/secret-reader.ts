import { CoreV1Api, type KubeConfig } from '@kubernetes/client-node';
import { apiFailure } from '../store/kube/api-errors.js';
import { reuseConnections } from '../store/kube/reuse-connections.js';

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

/**
 * Secrets through the API server, one GET each (no informer: a controller that cached every Secret
 * of the cluster would hold every credential of every tenant in memory). The data of a Secret not
 * of CREDENTIALS_SECRET_TYPE is not even decoded: no caller may use it.
 */
export class KubeSecretReader implements SecretReader {
  private readonly api: CoreV1Api;
  private readonly pooled = reuseConnections();

  constructor(kubeConfig: KubeConfig) {
    this.api = kubeConfig.makeApiClient(CoreV1Api);
  }

  async read(namespace: string, name: string): Promise<SecretContent | undefined> {
    try {
      const secret = await this.api.readNamespacedSecret({ namespace, name }, this.pooled);
      const type = secret.type ?? 'Opaque';
      return { type, data: type === CREDENTIALS_SECRET_TYPE ? decodeSecretData(secret.data) : {} };
    } catch (error) {
      const failure = apiFailure(error);
      if (failure?.code === 404) return undefined;
      // The API server's own words (e.g. which service account lacks `get` on secrets) but not the
      // exception itself as cause: it carries the response, and a reader must never risk echoing data.
      const said = failure === undefined ? (error instanceof Error ? error.message : String(error)) : `HTTP ${failure.code}${failure.status.message === undefined ? '' : `: ${failure.status.message}`}`;
      throw new Error(`reading Secret ${namespace}/${name}: ${said}`);
    }
  }
}
