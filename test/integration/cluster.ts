import { CoreV1Api, KubeConfig, V1Namespace, V1ObjectMeta } from '@kubernetes/client-node';
import { randomBytes } from 'node:crypto';
import { kubectlOk } from './kubectl.js';

const CRDS = ['nodepools', 'strategies', 'placementrules', 'machines', 'hostgroups'].map((p) => `crd/${p}.polyfleet.io`);

/** Installs polyfleet's CRDs the way a user does and waits until the API server serves them. */
export async function applyCrds(kubeconfigPath?: string): Promise<void> {
  const config = kubeconfigPath === undefined ? [] : ['--kubeconfig', kubeconfigPath];
  await kubectlOk([...config, 'apply', '-f', 'crds/']);
  await kubectlOk([...config, 'wait', '--for=condition=Established', '--timeout=60s', ...CRDS]);
}

/** The client config of the envtest (KUBECONFIG from the jest global setup), or of the given file. */
export function loadKubeConfig(kubeconfigPath?: string): KubeConfig {
  const kubeConfig = new KubeConfig();
  if (kubeconfigPath === undefined) kubeConfig.loadFromDefault();
  else kubeConfig.loadFromFile(kubeconfigPath);
  return kubeConfig;
}

/**
 * A namespace of its own for one test. It is never deleted: no namespace controller runs in the
 * envtest to empty it, and the envtest is thrown away after the run anyway.
 */
export async function createNamespace(kubeConfig: KubeConfig, prefix: string): Promise<string> {
  const name = `${prefix}-${randomBytes(4).toString('hex')}`;
  const body = new V1Namespace();
  body.metadata = new V1ObjectMeta();
  body.metadata.name = name;
  await kubeConfig.makeApiClient(CoreV1Api).createNamespace({ body });
  return name;
}

/** Polls `read` until `done` holds; fails naming `what` and the last value after `ms`. */
export async function eventually<T>(read: () => Promise<T> | T, done: (value: T) => boolean, what: string, ms = 30_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await read();
    if (done(value)) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; last saw ${JSON.stringify(value)}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
