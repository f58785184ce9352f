import type { KubeConfig } from '@kubernetes/client-node';
import { kubeAccessReview } from '../../runtime/auth/kube/index.js';
import { KubeEventsClient } from '../../runtime/events/index.js';
import type { Logger } from '../../runtime/log.js';
import type { KubeStore } from '../../runtime/store/kube/index.js';
import { kubeVarsReader } from '../inventory/kube-vars-reader.js';
import type { InventoryTls } from '../shared/inventory-flags.js';
import { startInventoryServer, type InventoryServer } from '../shared/inventory-server.js';

/**
 * The inventory API and the web view of `polyfleet controller`: the controller's store, ConfigMaps,
 * Secrets and Events read with its service account, and every request decided by the API server
 * for the caller's own token (the web view's session holds that token).
 */
export function startClusterInventoryApi(store: KubeStore, kubeConfig: KubeConfig, address: { host: string; port: number; tls?: InventoryTls }, log: Logger): Promise<InventoryServer> {
  return startInventoryServer(store, { ...address, access: kubeAccessReview(kubeConfig), sources: kubeVarsReader(kubeConfig) }, log, new KubeEventsClient(kubeConfig));
}
