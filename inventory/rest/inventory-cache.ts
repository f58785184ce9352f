import type { AccessControl, Caller } from '../../runtime/auth/index.js';
import type { Inventory } from '../model.js';
import type { InventoryBackend, TenantWatch } from './backend.js';
import { tenantInventory } from './tenant-inventory.js';

interface Entry {
  readonly generation: number;
  readonly inventory: Inventory;
  /** What requests made of the inventory and may reuse (the /v1/ansible body), by name. */
  readonly derived: Map<string, unknown>;
}

/**
 * Each tenant's inventory, built once and kept until the store's watches report a write to one of
 * its Machines or HostGroups. Kept only while the watches are synced and healthy, and only for a
 * tenant none of whose HostGroups use varsFrom: ConfigMaps and Secrets are not watched, and what
 * a caller may see of them depends on the caller, so such a tenant is built for every request.
 * A build that a write overtook is answered but not kept (the generation moved on under it).
 */
export class TenantInventoryCache {
  private readonly entries = new Map<string, Entry>();
  private readonly generations = new Map<string, number>();
  private readonly watch: TenantWatch | undefined;
  private synced = false;

  constructor(private readonly backend: InventoryBackend, private readonly access: AccessControl) {
    this.watch = backend.watchTenants?.((tenant) => {
      this.generations.set(tenant, this.generation(tenant) + 1);
      this.entries.delete(tenant);
    });
    void this.watch?.synced.then(() => {
      this.synced = true;
    });
  }

  async inventory(caller: Caller, tenant: string): Promise<Inventory> {
    return (await this.entry(caller, tenant)).inventory;
  }

  /** `make` of the tenant's inventory, made once per inventory kept. */
  async derived<T>(caller: Caller, tenant: string, name: string, make: (inventory: Inventory) => T): Promise<T> {
    const { inventory, derived } = await this.entry(caller, tenant);
    if (!derived.has(name)) derived.set(name, make(inventory));
    return derived.get(name) as T;
  }

  stop(): void {
    this.watch?.stop();
    this.entries.clear();
  }

  private async entry(caller: Caller, tenant: string): Promise<Entry> {
    const live = this.synced && (this.watch?.ok() ?? false);
    const generation = this.generation(tenant);
    const kept = this.entries.get(tenant);
    if (live && kept?.generation === generation) return kept;
    const objects = await this.backend.objects(tenant);
    const entry = { generation, inventory: await tenantInventory(this.backend, this.access, caller, tenant, objects), derived: new Map<string, unknown>() };
    const usesVarsFrom = objects.hostGroups.some((g) => (g.spec.varsFrom ?? []).length > 0);
    if (live && !usesVarsFrom && this.generation(tenant) === generation) this.entries.set(tenant, entry);
    return entry;
  }

  private generation(tenant: string): number {
    return this.generations.get(tenant) ?? 0;
  }
}
