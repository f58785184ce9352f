import { groupSourceVars } from './ansible-list.js';
import { ALL_GROUP, type Inventory, type InventoryGroup } from './model.js';
import { ansibleYaml } from './ansible-yaml.js';
import { pythonLiteral, shellWord } from './python-literal.js';

export const EXPORT_FORMATS = ['yaml', 'ini', 'json'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

/** What goes where: everything in one file, or only the structure (a bundle's inventory.yml; variables go to group_vars/ and host_vars/). */
export type VarsPlacement = 'inline' | 'structure-only';

interface YamlGroup {
  hosts?: Record<string, Record<string, unknown> | null>;
  children?: Record<string, YamlGroup>;
  vars?: Record<string, unknown>;
}

/**
 * The inventory as Ansible's YAML inventory plugin reads it: the tree under `all`, each group
 * defined once and named under each further parent, each host's facts where it is first listed. `structure-only` leaves variables out but for
 * ansible_group_priority, which only an inventory source can set.
 */
export function yamlInventoryDocument(inventory: Inventory, placement: VarsPlacement): { all: YamlGroup } {
  const withFacts = new Set<string>();
  const groupEntry = (g: InventoryGroup): YamlGroup => {
    const entry: YamlGroup = {};
    if (g.hosts.length > 0) {
      entry.hosts = Object.fromEntries(
        g.hosts.map((h) => {
          if (placement === 'structure-only' || withFacts.has(h)) return [h, null];
          withFacts.add(h);
          return [h, { ...inventory.hosts.get(h) }];
        }),
      );
    }
    const vars = placement === 'inline' ? groupSourceVars(g) : g.priority === 1 ? {} : { ansible_group_priority: g.priority };
    if (Object.keys(vars).length > 0) entry.vars = vars;
    return entry;
  };
  // A group is defined under its first parent (a top-level one under all) and named under the others.
  const defined = new Set<string>();
  const nested = (name: string): YamlGroup => {
    const g = inventory.groups.get(name);
    if (g === undefined || defined.has(name)) return {};
    defined.add(name);
    const entry = groupEntry(g);
    if (g.children.length > 0) entry.children = Object.fromEntries(g.children.map((c) => [c, nested(c)]));
    return entry;
  };
  const all = inventory.groups.get(ALL_GROUP);
  const root: YamlGroup = { children: Object.fromEntries((all?.children ?? []).map((c) => [c, nested(c)])) };
  const allVars = all === undefined || placement === 'structure-only' ? {} : { ...all.vars };
  if (Object.keys(allVars).length > 0) root.vars = allVars;
  return { all: root };
}

/** The inventory in Ansible's INI format: values as Python literals (the INI plugin literal_evals them). */
export function iniInventory(inventory: Inventory): string {
  const lines: string[] = [];
  const withFacts = new Set<string>();
  for (const g of inventory.groups.values()) {
    if (g.name === ALL_GROUP) continue;
    if (g.hosts.length > 0) {
      lines.push(`[${g.name}]`);
      for (const h of g.hosts) {
        if (withFacts.has(h)) lines.push(h);
        else {
          withFacts.add(h);
          const facts = Object.entries(inventory.hosts.get(h) ?? {}).map(([k, v]) => `${k}=${shellWord(pythonLiteral(v))}`);
          lines.push([h, ...facts].join(' '));
        }
      }
      lines.push('');
    }
    if (g.children.length > 0) lines.push(`[${g.name}:children]`, ...g.children, '');
    // An empty group exists all the same: its section, with nothing in it.
    if (g.hosts.length === 0 && g.children.length === 0) lines.push(`[${g.name}]`, '');
  }
  for (const g of inventory.groups.values()) {
    const vars = g.name === ALL_GROUP ? g.vars : groupSourceVars(g);
    if (Object.keys(vars).length === 0) continue;
    lines.push(`[${g.name}:vars]`, ...Object.entries(vars).map(([k, v]) => `${k}=${pythonLiteral(v)}`), '');
  }
  return lines.join('\n');
}

/** One file in `format`, with every variable in it. */
export function exportInventory(inventory: Inventory, format: ExportFormat): string {
  switch (format) {
    case 'yaml':
      return ansibleYaml(yamlInventoryDocument(inventory, 'inline'));
    case 'json':
      return `${JSON.stringify(yamlInventoryDocument(inventory, 'inline'), null, 2)}\n`;
    case 'ini':
      return iniInventory(inventory);
  }
}
