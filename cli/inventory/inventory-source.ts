import type { HostGroup, Machine } from '../../api/index.js';
import { buildInventory, type Inventory } from '../../inventory/index.js';
import { withStateFile } from '../shared/state.js';

/** Where the inventory is read from: a local state file, or a cluster through a kubeconfig. */
export type InventorySource = { readonly kind: 'state'; readonly path: string } | { readonly kind: 'cluster'; readonly kubeconfig: string | undefined };

/** The namespace's inventory, read once (the store is closed again before this returns). */
export async function loadInventory(source: InventorySource, namespace: string): Promise<Inventory> {
  const { machines, hostGroups } = source.kind === 'state' ? await readStateFile(source.path, namespace) : await readCluster(source.kubeconfig, namespace);
  return buildInventory({ namespace, machines, hostGroups });
}

interface Objects {
  readonly machines: readonly Machine[];
  readonly hostGroups: readonly HostGroup[];
}

function readStateFile(path: string, namespace: string): Promise<Objects> {
  return withStateFile(path, true, async (store) => ({
    machines: await store.list('Machine', { namespace, readOnly: true }),
    hostGroups: await store.list('HostGroup', { namespace, readOnly: true }),
  }));
}

/** Loaded only in cluster mode: a state file needs none of the Kubernetes client. */
async function readCluster(kubeconfig: string | undefined, namespace: string): Promise<Objects> {
  const [{ KubeConfig }, { KubeStore }, { createLogger }] = await Promise.all([import('@kubernetes/client-node'), import('../../runtime/store/kube/index.js'), import('../../runtime/log.js')]);
  const kubeConfig = new KubeConfig();
  if (kubeconfig === undefined) kubeConfig.loadFromDefault();
  else kubeConfig.loadFromFile(kubeconfig);
  const store = new KubeStore({ kubeConfig, logger: createLogger({ level: 'warn', destination: process.stderr }), namespaces: [namespace] });
  try {
    const [machines, hostGroups] = await Promise.all([store.list('Machine', { namespace, readOnly: true }), store.list('HostGroup', { namespace, readOnly: true })]);
    return { machines, hostGroups };
  } finally {
    await store.close();
  }
}
