import { CoreV1Api, type KubeConfig } from '@kubernetes/client-node';
import { apiFailure } from '../store/kube/api-errors.js';
import { reuseConnections } from '../store/kube/reuse-connections.js';

/** A core/v1 Secret's data, decoded: key to value. Never logged. */
export type SecretData = Readonly<Record<string, string>>;

/** Reads Secrets; the only way polyfleet reaches them, so RBAC needs `get` on secrets and nothing more. */
export interface SecretReader {
  /** The Secret's data, or undefined if there is no such Secret. */
  read(namespace: string, name: string): Promise<SecretData | undefined>;
}

/** `data` is base64 (`stringData` is write-only and never comes back). */
export function decodeSecretData(data: Readonly<Record<string, string>> | undefined): SecretData {
  return Object.fromEntries(Object.entries(data ?? {}).map(([key, value]) => [key, Buffer.from(value, 'base64').toString('utf8')]));
}

/**
 * Secrets through the API server, one GET each (no informer: a controller that cached every Secret
 * of the cluster would hold every credential of every tenant in memory).
 */
export class KubeSecretReader implements SecretReader {
  private readonly api: CoreV1Api;
  private readonly pooled = reuseConnections();

  constructor(kubeConfig: KubeConfig) {
    this.api = kubeConfig.makeApiClient(CoreV1Api);
  }

  async read(namespace: string, name: string): Promise<SecretData | undefined> {
    try {
      const secret = await this.api.readNamespacedSecret({ namespace, name }, this.pooled);
      return decodeSecretData(secret.data);
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
