import type { HostGroup } from '../../api/index.js';
import type { AccessControl, Caller } from '../../runtime/auth/index.js';
import { HttpProblem } from '../../runtime/http/index.js';
import type { ReadonlyDeep } from '../../runtime/store/index.js';
import type { BundleFile } from '../bundle.js';
import { ansibleGroupName } from '../group-name.js';
import { compare, type Inventory } from '../model.js';
import type { InventoryBackend } from './backend.js';

/**
 * The secrets/ files of a bundle: every HostGroup secret of a group some host of `inventory` is in,
 * at secrets/<path, default the key>. All or nothing: a Secret the caller may not get is a 403
 * naming it, one that cannot be read a 409 — never a bundle silently missing a file asked for.
 */
export async function bundleSecretFiles(
  backend: Pick<InventoryBackend, 'sources'>,
  access: AccessControl,
  caller: Caller,
  inventory: Inventory,
  hostGroups: readonly ReadonlyDeep<HostGroup>[],
): Promise<BundleFile[]> {
  const inUse = new Set([...inventory.hostGroups.values()].flat());
  const wanted = hostGroups.filter((g) => (g.spec.secrets ?? []).length > 0 && inUse.has(ansibleGroupName(g.metadata.name)) && inventory.groups.get(ansibleGroupName(g.metadata.name))?.hostGroup === g.metadata.name);
  const refs = wanted.flatMap((g) => (g.spec.secrets ?? []).map((s) => ({ hostGroup: g.metadata.name, name: s.name, key: s.key, path: s.path ?? s.key })));
  if (refs.length === 0) return [];
  const tenant = inventory.namespace;
  if (backend.sources === undefined) {
    throw new HttpProblem(409, `HostGroup ${quoteList([...new Set(refs.map((r) => r.hostGroup))])} attach Secrets, and none can be read here: an etcd store keeps no Secrets (give polyfleet --sources-dir DIR, where they are files); ask without secrets=true`);
  }
  const names = [...new Set(refs.map((r) => r.name))].sort(compare);
  const denied: string[] = [];
  for (const name of names) if (!(await access.allowed(caller, { verb: 'get', group: '', resource: 'secrets', namespace: tenant, name }))) denied.push(name);
  if (denied.length > 0) {
    throw new HttpProblem(403, `${caller.user} may not get Secret ${quoteList(denied)} in namespace "${tenant}", which the hosts of this bundle use; ask without secrets=true, or for get on them`);
  }
  const files = new Map<string, { from: string; content: Buffer }>();
  for (const ref of refs) {
    const from = `Secret "${ref.name}" key "${ref.key}" (HostGroup "${ref.hostGroup}")`;
    const value = await backend.sources.secretKey(tenant, ref.name, ref.key);
    if (value === undefined) throw new HttpProblem(409, `${from} is not there; fix the HostGroup or the Secret, or ask without secrets=true`);
    if (typeof value !== 'string') throw new HttpProblem(409, `${from} cannot be used: ${value.refused}`);
    const path = `secrets/${ref.path}`;
    const known = files.get(path);
    if (known !== undefined && !known.content.equals(Buffer.from(value))) throw new HttpProblem(409, `${from} and ${known.from} both go to ${path}; give one of them another path`);
    files.set(path, { from, content: Buffer.from(value) });
  }
  return [...files].sort(([a], [b]) => compare(a, b)).map(([path, f]) => ({ path, content: f.content }));
}

function quoteList(names: readonly string[]): string {
  return names.map((n) => `"${n}"`).join(', ');
}
