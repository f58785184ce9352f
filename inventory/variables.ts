import { compare, type Inventory, type InventoryGroup } from './model.js';

/** Where a value came from: a group, or the host's own facts. */
export type VarSource = { readonly kind: 'group'; readonly group: string; readonly hostGroup?: string } | { readonly kind: 'host' };

export interface OverriddenValue {
  readonly source: VarSource;
  readonly value: unknown;
}

/** One variable of a host: its value, where it came from, and what it overrode (first overridden first). */
export interface VarBlame {
  readonly name: string;
  readonly value: unknown;
  readonly source: VarSource;
  readonly overridden: readonly OverriddenValue[];
}

/**
 * The order Ansible applies a host's group variables in (ansible.inventory.helpers.sort_groups):
 * by depth, then ansible_group_priority, then name; a later group overrides an earlier one, so a
 * deeper group wins, and at the same depth the higher priority, then the later name.
 */
export function groupPrecedence(groups: readonly InventoryGroup[]): InventoryGroup[] {
  return [...groups].sort((a, b) => a.depth - b.depth || a.priority - b.priority || compare(a.name, b.name));
}

/**
 * A host's variables as Ansible resolves them (hash_behaviour=replace: a later value replaces a
 * whole map): `all`, then its other groups in groupPrecedence order, then its facts. Sorted by name.
 */
export function resolveHostVars(inventory: Inventory, host: string): VarBlame[] | undefined {
  const facts = inventory.hosts.get(host);
  const groupNames = inventory.hostGroups.get(host);
  if (facts === undefined || groupNames === undefined) return undefined;
  const groups = groupPrecedence(groupNames.map((n) => inventory.groups.get(n)).filter((g): g is InventoryGroup => g !== undefined));
  const layers: { source: VarSource; vars: Readonly<Record<string, unknown>> }[] = [
    ...groups.map((g) => ({ source: groupSource(g), vars: g.vars })),
    { source: { kind: 'host' } as const, vars: facts as unknown as Readonly<Record<string, unknown>> },
  ];
  const blame = new Map<string, { value: unknown; source: VarSource; overridden: OverriddenValue[] }>();
  for (const layer of layers) {
    for (const [name, value] of Object.entries(layer.vars)) {
      const before = blame.get(name);
      blame.set(name, { value, source: layer.source, overridden: before === undefined ? [] : [...before.overridden, { source: before.source, value: before.value }] });
    }
  }
  return [...blame].sort(([a], [b]) => compare(a, b)).map(([name, b]) => ({ name, ...b }));
}

/** Name → value, as Ansible would hand a play. */
export function hostVarValues(blame: readonly VarBlame[]): Record<string, unknown> {
  return Object.fromEntries(blame.map((b) => [b.name, b.value]));
}

export function describeSource(source: VarSource): string {
  if (source.kind === 'host') return 'host facts';
  return source.hostGroup === undefined || source.hostGroup === source.group ? `group ${source.group}` : `group ${source.group} (HostGroup ${source.hostGroup})`;
}

function groupSource(g: InventoryGroup): VarSource {
  return g.hostGroup === undefined ? { kind: 'group', group: g.name } : { kind: 'group', group: g.name, hostGroup: g.hostGroup };
}
