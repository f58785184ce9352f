import { CoreV1Api, type KubeConfig } from '@kubernetes/client-node';
import type { VarsSourceReader } from '../../inventory/index.js';
import { CREDENTIALS_SECRET_TYPE, KubeSecretReader } from '../../runtime/secrets/index.js';
import { apiFailure } from '../../runtime/store/kube/api-errors.js';

/**
 * varsFrom through the API server with the caller's own rights (one GET each): a ConfigMap's key, or
 * a Secret's if the Secret has opted in (type polyfleet.io/credentials), as credentials Secrets do.
 */
export function kubeVarsReader(kubeConfig: KubeConfig): VarsSourceReader {
  const core = kubeConfig.makeApiClient(CoreV1Api);
  const secrets = new KubeSecretReader(kubeConfig);
  return {
    async configMapKey(namespace, name, key) {
      try {
        return (await core.readNamespacedConfigMap({ namespace, name })).data?.[key];
      } catch (error) {
        if (apiFailure(error)?.code === 404) return undefined;
        throw new Error(`reading ConfigMap ${namespace}/${name}: ${apiFailure(error)?.status.message ?? String(error)}`);
      }
    },
    async secretKey(namespace, name, key) {
      let secret;
      try {
        secret = await secrets.read(namespace, name);
      } catch (error) {
        // A Secret you may not get (403) is left out like one that has not opted in: its variables, named on stderr.
        return { refused: (error as Error).message };
      }
      if (secret === undefined) return undefined;
      if (secret.type !== CREDENTIALS_SECRET_TYPE) return { refused: `the Secret is of type ${secret.type}, not ${CREDENTIALS_SECRET_TYPE} (the opt-in polyfleet needs to read it)` };
      return secret.data[key];
    },
  };
}
