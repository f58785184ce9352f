import type { HostFacts } from './host-facts.js';
import { DEFAULT_PRIORITY, type Inventory, type InventoryGroup } from './model.js';

/** One group as the dynamic-inventory protocol writes it. */
export interface AnsibleListGroup {
  hosts?: string[];
  children?: string[];
  vars?: Record<string, unknown>;
}

/** `--list` of Ansible's dynamic-inventory protocol: every group, and every host's own variables under _meta. */
export type AnsibleList = { _meta: { hostvars: Record<string, HostFacts> } } & Record<string, AnsibleListGroup>;

/**
 * A group's variables as an inventory source gives them: its own, and its priority as
 * ansible_group_priority (which Ansible reads at load time and keeps out of the variables).
 */
export function groupSourceVars(group: InventoryGroup): Record<string, unknown> {
  return group.priority === DEFAULT_PRIORITY ? { ...group.vars } : { ...group.vars, ansible_group_priority: group.priority };
}

export function ansibleList(inventory: Inventory): AnsibleList {
  const out: Record<string, AnsibleListGroup> = {};
  for (const g of inventory.groups.values()) {
    const entry: AnsibleListGroup = {};
    if (g.hosts.length > 0) entry.hosts = [...g.hosts];
    if (g.children.length > 0) entry.children = [...g.children];
    const vars = groupSourceVars(g);
    if (Object.keys(vars).length > 0) entry.vars = vars;
    // A group with none of hosts, children and vars is read by Ansible's script plugin as a list of
    // hosts (the protocol's older form): an empty group says hosts: [].
    if (Object.keys(entry).length === 0) entry.hosts = [];
    out[g.name] = entry;
  }
  return { ...out, _meta: { hostvars: Object.fromEntries(inventory.hosts) } } as AnsibleList;
}

/** `--host NAME`: the host's own variables, or undefined if there is no such host. */
export function ansibleHost(inventory: Inventory, host: string): HostFacts | undefined {
  return inventory.hosts.get(host);
}
