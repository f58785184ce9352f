import type { InventoryRegion } from '../../api/index.js';
import { compare, type Inventory } from '../model.js';

/** `<account>.<region>`, any character but letters, digits, "-" and "_" as "_": URL-safe and stable while both names are. */
export function regionId(account: string, region: string): string {
  const safe = (s: string) => s.replace(/[^A-Za-z0-9_-]/g, '_');
  return `${safe(account)}.${safe(region)}`;
}

/** Every (account, region) with hosts, by id. */
export function inventoryRegions(inventory: Inventory): InventoryRegion[] {
  const byId = new Map<string, InventoryRegion>();
  for (const facts of inventory.hosts.values()) {
    const id = regionId(facts.polyfleet_account, facts.polyfleet_region);
    const known = byId.get(id);
    byId.set(id, known === undefined ? { id, account: facts.polyfleet_account, provider: facts.polyfleet_provider, region: facts.polyfleet_region, hosts: 1 } : { ...known, hosts: known.hosts + 1 });
  }
  return [...byId.values()].sort((a, b) => compare(a.id, b.id));
}
