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
  /**
   * Calls `changed` with the namespace of every Machine or HostGroup written from now on, so a
   * tenant's inventory can be kept until one of its objects changes. Absent: no such feed; every
   * request reads the store.
   */
  watchTenants?(changed: (tenant: string) => void): TenantWatch;
}

export interface TenantWatch {
  /** Every change after this resolves is reported. */
  readonly synced: Promise<void>;
  /** Whether changes are being reported now (a store whose feed failed may miss some). */
  ok(): boolean;
  stop(): void;
}
