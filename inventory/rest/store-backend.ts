import type { Store } from '../../runtime/store/index.js';
import { compare } from '../model.js';
import type { VarsSourceReader } from '../vars-from.js';
import type { InventoryBackend } from './backend.js';

/** The inventory of a Store (any backend): Machines and HostGroups as they are now, read per request. */
export function storeInventoryBackend(store: Store, sources?: VarsSourceReader): InventoryBackend {
  return {
    async tenants() {
      const [machines, groups] = await Promise.all([store.list('Machine', { readOnly: true }), store.list('HostGroup', { readOnly: true })]);
      return [...new Set([...machines, ...groups].map((o) => o.metadata.namespace ?? 'default'))].sort(compare);
    },
    async objects(tenant) {
      const [machines, hostGroups] = await Promise.all([store.list('Machine', { namespace: tenant, readOnly: true }), store.list('HostGroup', { namespace: tenant, readOnly: true })]);
      return { machines, hostGroups };
    },
    watchTenants(changed) {
      const watches = (['Machine', 'HostGroup'] as const).map((kind) =>
        store.watch(kind, (e) => {
          changed(e.object.metadata.namespace ?? 'default');
        }),
      );
      return {
        synced: Promise.all(watches.map((w) => w.synced)).then(() => undefined),
        ok: () => watches.every((w) => w.health?.().ok ?? true),
        stop: () => {
          for (const w of watches) w.stop();
        },
      };
    },
    ...(sources === undefined ? {} : { sources }),
  };
}
