import type { HostGroup, Machine } from '../../api/index.js';
import type { ReadonlyDeep } from '../../runtime/store/index.js';
import type { VarsSourceReader } from '../vars-from.js';

/** What the inventory API reads: the store's Machines and HostGroups, and (in a cluster) ConfigMaps and Secrets. */
export interface InventoryBackend {
  /** Namespaces holding Machines or HostGroups, sorted. */
  tenants(): Promise<string[]>;
  objects(tenant: string): Promise<{ readonly machines: readonly ReadonlyDeep<Machine>[]; readonly hostGroups: readonly ReadonlyDeep<HostGroup>[] }>;
  /**
   * ConfigMap and Secret keys (HostGroup varsFrom and secrets), read with the server's rights;
   * the API checks the caller's before handing out anything of a Secret. Undefined: there are
   * none (a state file).
   */
  readonly sources?: VarsSourceReader;
}
