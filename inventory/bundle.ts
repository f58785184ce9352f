import { groupSourceVars } from './ansible-list.js';
import { ansibleYaml } from './ansible-yaml.js';
import { yamlInventoryDocument } from './formats.js';
import type { Inventory } from './model.js';

/** One file of a bundle: its path inside the bundle and its content. */
export interface BundleFile {
  readonly path: string;
  readonly content: Buffer;
}

/**
 * A bundle, file by file, so a writer can stream it: inventory.yml (groups, hosts, priorities),
 * group_vars/<group>.yml (each group's variables) and host_vars/<host>.yml (each host's facts).
 * Ansible reads group_vars/ and host_vars/ beside the inventory file and applies them in its own
 * order, the one resolveHostVars follows.
 */
export function* bundleFiles(inventory: Inventory): Generator<BundleFile> {
  yield { path: 'inventory.yml', content: Buffer.from(ansibleYaml(yamlInventoryDocument(inventory, 'structure-only'))) };
  for (const g of inventory.groups.values()) {
    const vars = groupSourceVars(g);
    delete vars.ansible_group_priority;
    if (Object.keys(vars).length > 0) yield { path: `group_vars/${g.name}.yml`, content: Buffer.from(ansibleYaml(vars)) };
  }
  for (const [host, facts] of inventory.hosts) yield { path: `host_vars/${host}.yml`, content: Buffer.from(ansibleYaml(facts)) };
}
