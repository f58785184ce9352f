import type { Inventory } from './model.js';
import { hostVarValues, resolveHostVars } from './variables.js';

/** Which hosts a listing or a bundle keeps; every given part must hold. */
export interface HostFilter {
  /** The provider account (a Strategy's providers[].name). */
  readonly account?: string;
  readonly region?: string;
  /** A group the host is in, directly or through a subgroup. */
  readonly group?: string;
  /** Labels of the Machine, each key=value. */
  readonly labels?: readonly { readonly key: string; readonly value: string }[];
  /** Variables as resolved for the host, each key=value (a value that is not a string is compared as JSON). */
  readonly vars?: readonly { readonly key: string; readonly value: string }[];
}

/** `key=value` as a filter part, or an error naming the flag and what it got. */
export function parseKeyValue(flag: string, text: string): { key: string; value: string } {
  const at = text.indexOf('=');
  if (at <= 0) throw new RangeError(`--${flag} must be key=value, got ${JSON.stringify(text)}`);
  return { key: text.slice(0, at), value: text.slice(at + 1) };
}

/** The inventory with only the hosts `filter` keeps; every group stays (an emptied one empty), variables unchanged. */
export function filterInventory(inventory: Inventory, filter: HostFilter): Inventory {
  const keep = new Set([...inventory.hosts.keys()].filter((h) => matches(inventory, h, filter)));
  if (keep.size === inventory.hosts.size) return inventory;
  return {
    ...inventory,
    hosts: new Map([...inventory.hosts].filter(([h]) => keep.has(h))),
    hostGroups: new Map([...inventory.hostGroups].filter(([h]) => keep.has(h))),
    groups: new Map([...inventory.groups].map(([name, g]) => [name, { ...g, hosts: g.hosts.filter((h) => keep.has(h)) }])),
  };
}

function matches(inventory: Inventory, host: string, filter: HostFilter): boolean {
  const facts = inventory.hosts.get(host);
  if (facts === undefined) return false;
  if (filter.account !== undefined && facts.polyfleet_account !== filter.account) return false;
  if (filter.region !== undefined && facts.polyfleet_region !== filter.region) return false;
  if (filter.group !== undefined && !(inventory.hostGroups.get(host) ?? []).includes(filter.group)) return false;
  if ((filter.labels ?? []).some((l) => facts.polyfleet_labels[l.key] !== l.value)) return false;
  if ((filter.vars ?? []).length === 0) return true;
  const values = hostVarValues(resolveHostVars(inventory, host) ?? []);
  return (filter.vars ?? []).every((v) => {
    const value = values[v.key];
    return value !== undefined && (typeof value === 'string' ? value : JSON.stringify(value)) === v.value;
  });
}
