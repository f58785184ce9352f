import { dirname } from 'node:path';
import type { HostGroup, HostVars, Machine } from '../../api/index.js';
import type { Inventory, VarsSourceReader } from '../../inventory/index.js';
import { fileVarsReader } from '../../inventory/file-sources.js';
import { buildInventory } from '../../inventory/model.js';
import type { ResourceAttributes } from '../../runtime/auth/index.js';
import { readStateSnapshot } from '../../runtime/store/file/state-snapshot.js';
import { CommandFailure } from '../shared/command-runner.js';
import type { StoreLocation } from '../shared/store-flags.js';

/** Where the inventory is read from: a local state file, etcd, or a cluster through a kubeconfig. */
export type InventorySource =
  | { readonly kind: 'state'; readonly path: string; readonly sourcesDir?: string }
  | { readonly kind: 'etcd'; readonly location: StoreLocation & { readonly kind: 'etcd' }; readonly sourcesDir?: string }
  | { readonly kind: 'cluster'; readonly kubeconfig: string | undefined };

/** The inventory and what an export with --secrets needs besides. */
export interface LoadedInventory {
  readonly inventory: Inventory;
  readonly hostGroups: readonly HostGroup[];
  /** Where ConfigMap and Secret keys are read: the API server, or files (--sources-dir, beside a state file by default); none for etcd without --sources-dir. */
  readonly sources?: VarsSourceReader;
  /** Whether you may do this: in a cluster the API server says (as `kubectl auth can-i`); your own files you may. */
  readonly mayYou: (attributes: ResourceAttributes) => Promise<boolean>;
}

/** The namespace's inventory, read once (a store is closed again before this returns). */
export async function loadInventory(source: InventorySource, namespace: string): Promise<LoadedInventory> {
  const { machines, hostGroups, varsFrom, problems, sources, mayYou } = await readObjects(source, namespace);
  const inventory = buildInventory({ namespace, machines, hostGroups, ...(varsFrom === undefined ? {} : { varsFrom }), ...(problems === undefined ? {} : { problems }) });
  return { inventory, hostGroups, ...(sources === undefined ? {} : { sources }), mayYou };
}

interface Objects {
  readonly machines: readonly Machine[];
  readonly hostGroups: readonly HostGroup[];
  /** HostGroup varsFrom as read (a cluster's ConfigMaps and Secrets, or a state file's files; etcd has none). */
  readonly varsFrom?: ReadonlyMap<string, readonly HostVars[]>;
  readonly problems?: readonly string[];
  readonly sources?: VarsSourceReader;
  readonly mayYou: (attributes: ResourceAttributes) => Promise<boolean>;
}

const yourOwn = (): Promise<boolean> => Promise.resolve(true);

/** varsFrom read through `sources`; the YAML parser is loaded only if some HostGroup has varsFrom. */
async function withVarsFrom(namespace: string, hostGroups: readonly HostGroup[], sources: VarsSourceReader): Promise<Pick<Objects, 'varsFrom' | 'problems'>> {
  if (!hostGroups.some((g) => (g.spec.varsFrom ?? []).length > 0)) return {};
  const { resolveVarsFrom } = await import('../../inventory/vars-from.js');
  return resolveVarsFrom(namespace, hostGroups, sources);
}

function readObjects(source: InventorySource, namespace: string): Promise<Objects> {
  switch (source.kind) {
    case 'state':
      return readState(source.path, source.sourcesDir ?? dirname(source.path), namespace);
    case 'etcd':
      return readEtcd(source.location, source.sourcesDir, namespace);
    case 'cluster':
      return readCluster(source.kubeconfig, namespace);
  }
}

/** Read once without opening a store (Ansible starts the inventory anew for every run); ConfigMaps and Secrets are files in `sourcesDir`. */
async function readState(path: string, sourcesDir: string, namespace: string): Promise<Objects> {
  const snapshot = readStateSnapshot(path);
  const hostGroups = snapshot.list('HostGroup', namespace);
  const sources = fileVarsReader(sourcesDir);
  return { machines: snapshot.list('Machine', namespace), hostGroups, ...(await withVarsFrom(namespace, hostGroups, sources)), sources, mayYou: yourOwn };
}

/** Loaded only for etcd: the etcd client is no cost of reading a state file. etcd keeps no ConfigMaps or Secrets: files in `sourcesDir` if given. */
async function readEtcd(location: StoreLocation, sourcesDir: string | undefined, namespace: string): Promise<Objects> {
  const { withStore } = await import('../shared/state.js');
  const [machines, hostGroups] = await withStore(location, true, async (store) =>
    Promise.all([store.list('Machine', { namespace, readOnly: true }), store.list('HostGroup', { namespace, readOnly: true })]),
  );
  if (sourcesDir === undefined) return { machines, hostGroups, mayYou: yourOwn };
  const sources = fileVarsReader(sourcesDir);
  return { machines, hostGroups, ...(await withVarsFrom(namespace, hostGroups, sources)), sources, mayYou: yourOwn };
}

/** Loaded only in cluster mode: a state file needs none of the Kubernetes client. */
async function readCluster(kubeconfig: string | undefined, namespace: string): Promise<Objects> {
  const [{ KubeConfig }, { KubeStore }, { createLogger }, { kubeVarsReader }, { selfAccessReview }] = await Promise.all([
    import('@kubernetes/client-node'),
    import('../../runtime/store/kube/index.js'),
    import('../../runtime/log.js'),
    import('./kube-vars-reader.js'),
    import('../../runtime/auth/kube/index.js'),
  ]);
  const kubeConfig = new KubeConfig();
  if (kubeconfig === undefined) kubeConfig.loadFromDefault();
  else kubeConfig.loadFromFile(kubeconfig);
  const mayYou = selfAccessReview(kubeConfig);
  await requireListAndWatch(mayYou, namespace);
  const store = new KubeStore({ kubeConfig, logger: createLogger({ level: 'warn', destination: process.stderr }), namespaces: [namespace] });
  try {
    const [machines, hostGroups] = await Promise.all([store.list('Machine', { namespace, readOnly: true }), store.list('HostGroup', { namespace, readOnly: true })]);
    const sources = kubeVarsReader(kubeConfig);
    return { machines, hostGroups, ...(await withVarsFrom(namespace, hostGroups, sources)), sources, mayYou };
  } finally {
    await store.close();
  }
}

/**
 * The cluster is read through informers (list, then watch), which retry a refused list for as long
 * as it is refused: a user without the rights waited forever on "list failed, retrying". Asked
 * first (as `kubectl auth can-i`), a missing right is an error naming it. If the question itself
 * cannot be asked, the read goes ahead as before.
 */
async function requireListAndWatch(mayYou: (attributes: ResourceAttributes) => Promise<boolean>, namespace: string): Promise<void> {
  const missing: string[] = [];
  for (const resource of ['machines', 'hostgroups']) {
    for (const verb of ['list', 'watch'] as const) {
      let allowed: boolean;
      try {
        allowed = await mayYou({ verb, group: 'polyfleet.io', resource, namespace });
      } catch {
        return;
      }
      if (!allowed) missing.push(`${verb} ${resource}.polyfleet.io`);
    }
  }
  if (missing.length > 0) {
    throw new CommandFailure(`you may not ${missing.join(', ')} in namespace "${namespace}", which reading the inventory from the cluster needs (see \`kubectl auth can-i list machines.polyfleet.io -n ${namespace}\`): ask for a Role with list and watch on machines and hostgroups there`);
  }
}
