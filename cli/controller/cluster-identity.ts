import { CoreV1Api, type KubeConfig } from '@kubernetes/client-node';
import { CommandFailure } from '../shared/command-runner.js';

/**
 * The installation identity of `polyfleet controller`: --cluster-name, else one derived from the
 * cluster itself, the UID of its kube-system Namespace (unique per cluster, stable for its life, the
 * same for every replica), so two clusters sharing a cloud account never touch each other's
 * instances. Reading it needs `get` on namespaces/kube-system.
 */
export async function clusterIdentity(kubeConfig: KubeConfig, clusterName: string | undefined): Promise<string> {
  if (clusterName !== undefined) return clusterName;
  let uid: string | undefined;
  try {
    uid = (await kubeConfig.makeApiClient(CoreV1Api).readNamespace({ name: 'kube-system' })).metadata?.uid;
  } catch (e) {
    throw new CommandFailure(
      `cannot read Namespace kube-system, whose UID names this installation on its instances (${(e as Error).message.split('\n')[0] ?? ''}); ` +
        'grant the controller get on namespaces/kube-system, or give it a name with --cluster-name NAME (unique among the installations sharing a cloud account)',
    );
  }
  if (uid === undefined || uid === '') throw new CommandFailure('Namespace kube-system has no UID to name this installation by; give it a name with --cluster-name NAME');
  return `k8s-${uid}`;
}
