import type { HostGroup, HostVars, Machine } from '../../api/index.js';
import { buildInventory, type Inventory } from '../../inventory/index.js';
import { withStore } from '../shared/state.js';

/** Where the inventory is read from: a local state file, or a cluster through a kubeconfig. */
export type InventorySource = { readonly kind: 'state'; readonly path: string } | { readonly kind: 'cluster'; readonly kubeconfig: string | undefined };

/** The namespace's inventory, read once (the store is closed again before this returns). */
export async function loadInventory(source: InventorySource, namespace: string): Promise<Inventory> {
  const { machines, hostGroups, varsFrom, problems = [] } = source.kind === 'state' ? await readStateFile(source.path, namespace) : await readCluster(source.kubeconfig, namespace);
  const inventory = buildInventory({ namespace, machines, hostGroups, ...(varsFrom === undefined ? {} : { varsFrom }) });
  return problems.length === 0 ? inventory : { ...inventory, problems: [...problems, ...inventory.problems] };
}

interface Objects {
  readonly machines: readonly Machine[];
  readonly hostGroups: readonly HostGroup[];
  /** HostGroup varsFrom as read (in a cluster; a state file has no ConfigMaps or Secrets). */
  readonly varsFrom?: ReadonlyMap<string, readonly HostVars[]>;
  readonly problems?: readonly string[];
}

function readStateFile(path: string, namespace: string): Promise<Objects> {
  return withStore({ kind: 'file', path }, true, async (store) => ({
    machines: await store.list('Machine', { namespace, readOnly: true }),
    hostGroups: await store.list('HostGroup', { namespace, readOnly: true }),
  }));
}

/** Loaded only in cluster mode: a state file needs none of the Kubernetes client. */
async function readCluster(kubeconfig: string | undefined, namespace: string): Promise<Objects> {
  const [{ KubeConfig }, { KubeStore }, { createLogger }, { kubeVarsReader }, { resolveVarsFrom }] = await Promise.all([
    import('@kubernetes/client-node'),
    import('../../runtime/store/kube/index.js'),
    import('../../runtime/log.js'),
    import('./kube-vars-reader.js'),
    import('../../inventory/index.js'),
  ]);
  const kubeConfig = new KubeConfig();
  if (kubeconfig === undefined) kubeConfig.loadFromDefault();
  else kubeConfig.loadFromFile(kubeconfig);
  const store = new KubeStore({ kubeConfig, logger: createLogger({ level: 'warn', destination: process.stderr }), namespaces: [namespace] });
  try {
    const [machines, hostGroups] = await Promise.all([store.list('Machine', { namespace, readOnly: true }), store.list('HostGroup', { namespace, readOnly: true })]);
    const { varsFrom, problems } = await resolveVarsFrom(namespace, hostGroups, kubeVarsReader(kubeConfig));
    return { machines, hostGroups, varsFrom, problems };
  } finally {
    await store.close();
  }
}
