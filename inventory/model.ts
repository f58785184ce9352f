import { resolveHostGroups } from '../api/host-group-members.js';
import type { HostGroup, HostVars, Machine } from '../api/index.js';
import type { ReadonlyDeep } from '../runtime/store/index.js';
import { ansibleGroupName, automaticGroupName, type AutomaticGroupPrefix } from './group-name.js';
import { hostFacts, type HostFacts } from './host-facts.js';

export const ALL_GROUP = 'all';
/** Ansible's default ansible_group_priority. */
export const DEFAULT_PRIORITY = 1;

export interface InventoryInput {
  /** The tenant: the inventory is one namespace's Machines and HostGroups. */
  readonly namespace: string;
  readonly machines: readonly ReadonlyDeep<Machine>[];
  readonly hostGroups: readonly ReadonlyDeep<HostGroup>[];
  /** HostGroup name → the YAML maps its varsFrom entries hold, in order; a group with varsFrom missing here is a problem. */
  readonly varsFrom?: ReadonlyMap<string, readonly HostVars[]>;
  /** What reading the input found wrong (a varsFrom that could not be read), listed first. */
  readonly problems?: readonly string[];
}

/** One Ansible group. */
export interface InventoryGroup {
  /** Valid for Ansible. */
  readonly name: string;
  /** Hosts in the group itself (not through its children), sorted. */
  readonly hosts: readonly string[];
  /** Subgroups, sorted. */
  readonly children: readonly string[];
  /** The group's own variables: its varsFrom maps in order, then its vars. */
  readonly vars: Readonly<Record<string, unknown>>;
  readonly priority: number;
  /** As Ansible counts it: `all` 0, a group one deeper than its deepest parent, `all` being every parentless group's parent. */
  readonly depth: number;
  /** The HostGroup the group's variables and members come from, if any (an automatic group may have one of the same name). */
  readonly hostGroup?: string;
}

export interface Inventory {
  readonly namespace: string;
  /** Host name (the Machine's) → its facts; only Machines with an instance and an address; sorted. */
  readonly hosts: ReadonlyMap<string, HostFacts>;
  /** Group name → group; `all` first, then by name. */
  readonly groups: ReadonlyMap<string, InventoryGroup>;
  /** Host name → every group it is in, its groups' ancestors and `all` included; made on first use (`--list` needs none of it). */
  readonly hostGroups: ReadonlyMap<string, readonly string[]>;
  /** What could not be honoured (a name clash, a cycle, varsFrom not resolved), for a human. */
  readonly problems: readonly string[];
}

/** The automatic groups: each prefix and the fact its value comes from (the tenant's: the namespace). */
const AUTOMATIC_GROUPS: readonly (readonly [AutomaticGroupPrefix, 'polyfleet_pool' | 'polyfleet_account' | 'polyfleet_region' | 'polyfleet_zone' | 'polyfleet_instance_type' | undefined])[] = [
  ['tenant', undefined],
  ['pool', 'polyfleet_pool'],
  ['provider', 'polyfleet_account'],
  ['region', 'polyfleet_region'],
  ['zone', 'polyfleet_zone'],
  ['type', 'polyfleet_instance_type'],
];

interface Draft {
  hosts: Set<string>;
  children: Set<string>;
  vars: Record<string, unknown>;
  priority: number;
  hostGroup?: string;
}

/** The inventory of one namespace: a pure function of its Machines, HostGroups and the variables their varsFrom hold. */
export function buildInventory(input: InventoryInput): Inventory {
  const problems: string[] = [...(input.problems ?? [])];
  const machines = input.machines.filter((m) => (m.metadata.namespace ?? input.namespace) === input.namespace && m.metadata.deletionTimestamp === undefined);
  const hosts = new Map<string, HostFacts>();
  for (const m of [...machines].sort((a, b) => compare(a.metadata.name, b.metadata.name))) {
    const facts = hostFacts(m);
    if (facts !== undefined) hosts.set(m.metadata.name, facts);
  }
  const drafts = new Map<string, Draft>();
  const draft = (name: string): Draft => {
    let d = drafts.get(name);
    if (d === undefined) {
      d = { hosts: new Set(), children: new Set(), vars: {}, priority: DEFAULT_PRIORITY };
      drafts.set(name, d);
    }
    return d;
  };
  draft(ALL_GROUP);
  addAutomaticGroups(input.namespace, hosts, draft);
  addHostGroups(input, machines, hosts, draft, drafts, problems);
  const groups = finishGroups(drafts);
  let hostGroups: ReadonlyMap<string, readonly string[]> | undefined;
  return {
    namespace: input.namespace,
    hosts,
    groups,
    get hostGroups() {
      return (hostGroups ??= groupsOfHosts(hosts, groups));
    },
    problems,
  };
}

function addAutomaticGroups(namespace: string, hosts: ReadonlyMap<string, HostFacts>, draft: (name: string) => Draft): void {
  // Few distinct pools, accounts, regions, zones and types across thousands of hosts: each group's name is made once.
  const automatic = (prefix: AutomaticGroupPrefix): ((value: string) => Set<string>) => {
    const members = new Map<string, Set<string>>();
    return (value) => {
      let set = members.get(value);
      if (set === undefined) {
        set = draft(automaticGroupName(prefix, value)).hosts;
        members.set(value, set);
      }
      return set;
    };
  };
  const groupsBy = AUTOMATIC_GROUPS.map(([prefix, fact]) => ({ fact, hostsOf: automatic(prefix) }));
  for (const [name, facts] of hosts) for (const { fact, hostsOf } of groupsBy) hostsOf(fact === undefined ? namespace : facts[fact]).add(name);
}

function addHostGroups(
  input: InventoryInput,
  machines: readonly ReadonlyDeep<Machine>[],
  hosts: ReadonlyMap<string, HostFacts>,
  draft: (name: string) => Draft,
  drafts: ReadonlyMap<string, Draft>,
  problems: string[],
): void {
  const groups = input.hostGroups.filter((g) => (g.metadata.namespace ?? input.namespace) === input.namespace && g.metadata.deletionTimestamp === undefined);
  const graph = resolveHostGroups(groups, machines);
  const ansibleNameOf = new Map<string, string>();
  for (const g of [...groups].sort((a, b) => compare(a.metadata.name, b.metadata.name))) {
    const name = ansibleGroupName(g.metadata.name);
    const clash = drafts.get(name)?.hostGroup;
    if (clash !== undefined) {
      problems.push(`HostGroup "${g.metadata.name}" is left out: its Ansible name "${name}" is HostGroup "${clash}"'s too`);
      continue;
    }
    ansibleNameOf.set(g.metadata.name, name);
    const d = draft(name);
    d.hostGroup = g.metadata.name;
    d.priority = g.spec.priority;
    const fromSources = input.varsFrom?.get(g.metadata.name);
    if ((g.spec.varsFrom ?? []).length > 0 && fromSources === undefined) {
      problems.push(`HostGroup "${g.metadata.name}": the variables of its varsFrom were not read (not available here); only its vars are used`);
    }
    d.vars = Object.assign({}, ...(fromSources ?? []), g.spec.vars ?? {}) as Record<string, unknown>;
    for (const h of graph.directHosts.get(g.metadata.name) ?? []) if (hosts.has(h)) d.hosts.add(h);
    const cycle = graph.cycles.get(g.metadata.name);
    if (cycle !== undefined) problems.push(`HostGroup "${g.metadata.name}": its children form a cycle (${cycle}); those subgroups are left out`);
    for (const missing of graph.missing.get(g.metadata.name) ?? []) problems.push(`HostGroup "${g.metadata.name}": ${missing} not found`);
  }
  for (const g of groups) {
    const parent = ansibleNameOf.get(g.metadata.name);
    if (parent === undefined) continue;
    for (const child of graph.children.get(g.metadata.name) ?? []) {
      const childName = ansibleNameOf.get(child);
      if (childName === undefined) continue;
      if (childName === ALL_GROUP) problems.push(`HostGroup "${g.metadata.name}": "all" cannot be a subgroup; left out`);
      else draft(parent).children.add(childName);
    }
  }
}

function finishGroups(drafts: ReadonlyMap<string, Draft>): Map<string, InventoryGroup> {
  const parents = new Map<string, string[]>();
  for (const [name, d] of drafts) for (const c of d.children) parents.set(c, [...(parents.get(c) ?? []), name]);
  const depths = new Map<string, number>([[ALL_GROUP, 0]]);
  const depthOf = (name: string): number => {
    const known = depths.get(name);
    if (known !== undefined) return known;
    const d = 1 + Math.max(0, ...(parents.get(name) ?? []).map(depthOf));
    depths.set(name, d);
    return d;
  };
  const names = [...drafts.keys()].filter((n) => n !== ALL_GROUP).sort(compare);
  const groups = new Map<string, InventoryGroup>();
  for (const name of [ALL_GROUP, ...names]) {
    const d = drafts.get(name) as Draft;
    const children = name === ALL_GROUP ? [...d.children, ...names.filter((n) => !parents.has(n))] : [...d.children];
    groups.set(name, {
      name,
      hosts: [...d.hosts].sort(compare),
      children: [...new Set(children)].sort(compare),
      vars: d.vars,
      priority: d.priority,
      depth: depthOf(name),
      ...(d.hostGroup === undefined ? {} : { hostGroup: d.hostGroup }),
    });
  }
  return groups;
}

function groupsOfHosts(hosts: ReadonlyMap<string, HostFacts>, groups: ReadonlyMap<string, InventoryGroup>): Map<string, readonly string[]> {
  const parents = new Map<string, string[]>();
  for (const g of groups.values()) for (const c of g.children) parents.set(c, [...(parents.get(c) ?? []), g.name]);
  const ancestry = new Map<string, ReadonlySet<string>>();
  const withAncestors = (name: string): ReadonlySet<string> => {
    const known = ancestry.get(name);
    if (known !== undefined) return known;
    const all = new Set([name]);
    for (const p of parents.get(name) ?? []) for (const a of withAncestors(p)) all.add(a);
    ancestry.set(name, all);
    return all;
  };
  const sets = new Map<string, Set<string>>([...hosts.keys()].map((h) => [h, new Set([ALL_GROUP])]));
  for (const g of groups.values()) {
    const ancestors = withAncestors(g.name);
    for (const h of g.hosts) {
      const set = sets.get(h);
      if (set !== undefined) for (const a of ancestors) set.add(a);
    }
  }
  return new Map([...sets].map(([h, set]) => [h, [...set].sort(compare)]));
}

/** Code-point order, as Python sorts names (never locale order). */
export function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
