import type { Caller, AccessControl } from '../../runtime/auth/index.js';
import { buildInventory, type Inventory } from '../model.js';
import { resolveVarsFrom, type VarsSourceReader } from '../vars-from.js';
import type { InventoryBackend } from './backend.js';

/**
 * The tenant's inventory as this caller may see it: a varsFrom Secret the caller may not get is
 * not used (its variables are left out, and the inventory's problems say so), so no value of a
 * Secret reaches a caller the API server would not show it to.
 */
export async function tenantInventory(
  backend: InventoryBackend,
  access: AccessControl,
  caller: Caller,
  tenant: string,
  objects?: Awaited<ReturnType<InventoryBackend['objects']>>,
): Promise<Inventory> {
  const { machines, hostGroups } = objects ?? (await backend.objects(tenant));
  if (backend.sources === undefined) return buildInventory({ namespace: tenant, machines, hostGroups });
  const { varsFrom, problems } = await resolveVarsFrom(tenant, hostGroups, callersReader(backend.sources, access, caller));
  return buildInventory({ namespace: tenant, machines, hostGroups, varsFrom, problems });
}

function callersReader(sources: VarsSourceReader, access: AccessControl, caller: Caller): VarsSourceReader {
  return {
    configMapKey: (namespace, name, key) => sources.configMapKey(namespace, name, key),
    async secretKey(namespace, name, key) {
      if (!(await access.allowed(caller, { verb: 'get', group: '', resource: 'secrets', namespace, name }))) {
        return { refused: `${caller.user} may not get this Secret (RBAC)` };
      }
      return sources.secretKey(namespace, name, key);
    },
  };
}
