import { CoreV1Api, type KubeConfig } from '@kubernetes/client-node';
import { apiFailure } from '../store/kube/api-errors.js';
import { reuseConnections } from '../store/kube/reuse-connections.js';
import { CREDENTIALS_SECRET_TYPE, decodeSecretData, type SecretContent, type SecretReader } from './secret-content.js';

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
