import type { LabelSelectorRequirement } from './host-group.js';
import type { z } from 'zod';

/** What a HostGroup needs of a Machine to decide membership. */
export interface MemberCandidate {
  readonly metadata: { readonly name: string; readonly labels?: Readonly<Record<string, string>> | undefined };
}

/** A HostGroup's selector, as read-only as the store hands it out. */
export interface SelectorInput {
  readonly matchLabels?: Readonly<Record<string, string>> | undefined;
  readonly matchExpressions?: readonly Readonly<Omit<z.infer<typeof LabelSelectorRequirement>, 'values'> & { values?: readonly string[] | undefined }>[] | undefined;
}

type LabelSelectorOperator = z.infer<typeof LabelSelectorRequirement>['operator'];

/** What membership needs of a HostGroup. */
export interface GroupInput {
  readonly metadata: { readonly name: string };
  readonly spec: { readonly selector?: SelectorInput | undefined; readonly hosts?: readonly string[] | undefined; readonly children?: readonly string[] | undefined };
}

/** The HostGroups of one namespace resolved against its Machines: what the controller reports and the inventory builds on. */
export interface HostGroupGraph {
  /** Group name → Machine names the group has itself (selector and hosts), sorted. */
  readonly directHosts: ReadonlyMap<string, readonly string[]>;
  /** Group name → its child groups that exist and close no cycle, sorted. */
  readonly children: ReadonlyMap<string, readonly string[]>;
  /** Group name → its depth as Ansible counts it: 1 under `all`, a child one deeper than its deepest parent. */
  readonly depth: ReadonlyMap<string, number>;
  /** Group name → the cycle its children close, as "a → b → a"; those edges are left out. */
  readonly cycles: ReadonlyMap<string, string>;
  /** Group name → what it names that does not exist, e.g. 'HostGroup "x"', 'Machine "y"'. */
  readonly missing: ReadonlyMap<string, readonly string[]>;
  /** Machine names of the group and all its descendants, sorted. */
  hostsOf(group: string): readonly string[];
}

/**
 * The selector made once into a test of a Machine's labels (an absent selector matches none). Plain
 * indexed loops: it runs for every Machine and HostGroup of a namespace in a process that has just
 * started (`polyfleet inventory --list`), before the JIT has made iterators and closures cheap.
 */
export function hostSelectorMatcher(selector: SelectorInput | undefined): (labels: Readonly<Record<string, string>> | undefined) => boolean {
  if (selector === undefined) return () => false;
  const wanted = Object.entries(selector.matchLabels ?? {});
  const expressions = selector.matchExpressions ?? [];
  return (labels) => {
    const l = labels ?? {};
    for (let i = 0; i < wanted.length; i++) {
      const [k, v] = wanted[i] as [string, string];
      if (l[k] !== v) return false;
    }
    for (let i = 0; i < expressions.length; i++) {
      const req = expressions[i] as NonNullable<SelectorInput['matchExpressions']>[number];
      if (!requirementHolds(req.operator, req.values, l[req.key])) return false;
    }
    return true;
  };
}

function requirementHolds(operator: LabelSelectorOperator, values: readonly string[] | undefined, value: string | undefined): boolean {
  switch (operator) {
    case 'In':
      return value !== undefined && (values ?? []).includes(value);
    case 'NotIn':
      return value === undefined || !(values ?? []).includes(value);
    case 'Exists':
      return value !== undefined;
    case 'DoesNotExist':
      return value === undefined;
  }
}

/** Resolves one namespace's HostGroups: members, subgroups without cycles, depths, and what is missing. */
export function resolveHostGroups(groups: readonly GroupInput[], machines: readonly MemberCandidate[]): HostGroupGraph {
  const byName = new Map(groups.map((g) => [g.metadata.name, g]));
  const machineNames = new Set(machines.map((m) => m.metadata.name));
  const directHosts = new Map<string, string[]>();
  const missing = new Map<string, string[]>();
  const edges = new Map<string, string[]>();
  for (const g of groups) {
    const name = g.metadata.name;
    const matches = hostSelectorMatcher(g.spec.selector);
    const members = new Set<string>();
    if (g.spec.selector !== undefined) {
      for (let i = 0; i < machines.length; i++) {
        const m = machines[i] as MemberCandidate;
        if (matches(m.metadata.labels)) members.add(m.metadata.name);
      }
    }
    for (const h of g.spec.hosts ?? []) if (machineNames.has(h)) members.add(h);
    directHosts.set(name, [...members].sort());
    const lacking = [
      ...(g.spec.children ?? []).filter((c) => !byName.has(c)).map((c) => `HostGroup "${c}"`),
      ...(g.spec.hosts ?? []).filter((h) => !machineNames.has(h)).map((h) => `Machine "${h}"`),
    ];
    if (lacking.length > 0) missing.set(name, lacking);
    edges.set(name, [...new Set((g.spec.children ?? []).filter((c) => byName.has(c)))].sort());
  }
  const cycles = findCycles(edges);
  const children = new Map([...edges].map(([name, cs]) => [name, cyclicEdgesDropped(name, cs, cycles)]));
  const depth = depths(children);
  const memo = new Map<string, readonly string[]>();
  const hostsOf = (group: string): readonly string[] => {
    const known = memo.get(group);
    if (known !== undefined) return known;
    const all = new Set(directHosts.get(group) ?? []);
    for (const c of children.get(group) ?? []) for (const h of hostsOf(c)) all.add(h);
    const sorted = [...all].sort();
    memo.set(group, sorted);
    return sorted;
  };
  return { directHosts, children, depth, cycles: new Map([...cycles].map(([g, c]) => [g, c.path])), missing, hostsOf };
}

interface Cycle {
  readonly path: string;
  readonly members: ReadonlySet<string>;
}

function cyclicEdgesDropped(name: string, cs: readonly string[], cycles: ReadonlyMap<string, Cycle>): string[] {
  const cycle = cycles.get(name);
  return cycle === undefined ? [...cs] : cs.filter((c) => !cycle.members.has(c));
}

/** Tarjan's strongly connected components: every group of a component with a cycle, and that cycle's path. */
function findCycles(edges: ReadonlyMap<string, readonly string[]>): Map<string, Cycle> {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const result = new Map<string, Cycle>();
  let next = 0;
  const visit = (v: string): void => {
    index.set(v, next);
    low.set(v, next);
    next++;
    stack.push(v);
    onStack.add(v);
    for (const w of edges.get(v) ?? []) {
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v) ?? 0, low.get(w) ?? 0));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v) ?? 0, index.get(w) ?? 0));
    }
    if (low.get(v) !== index.get(v)) return;
    const component: string[] = [];
    for (let w = stack.pop(); w !== undefined; w = stack.pop()) {
      onStack.delete(w);
      component.push(w);
      if (w === v) break;
    }
    const selfLoop = (edges.get(v) ?? []).includes(v);
    if (component.length === 1 && !selfLoop) return;
    const members = new Set(component);
    for (const m of component) result.set(m, { path: cyclePath(m, members, edges), members });
  };
  for (const v of [...edges.keys()].sort()) if (!index.has(v)) visit(v);
  return result;
}

/** A shortest way round from `start` back to it inside its component, for a message. */
function cyclePath(start: string, members: ReadonlySet<string>, edges: ReadonlyMap<string, readonly string[]>): string {
  const previous = new Map<string, string>();
  const queue = [start];
  for (let i = 0; i < queue.length; i++) {
    const v = queue[i] as string;
    for (const w of edges.get(v) ?? []) {
      if (!members.has(w)) continue;
      if (w === start) {
        const path = [start];
        for (let u: string | undefined = v; u !== undefined && u !== start; u = previous.get(u)) path.unshift(u);
        path.unshift(start);
        return path.join(' → ');
      }
      if (!previous.has(w)) {
        previous.set(w, v);
        queue.push(w);
      }
    }
  }
  return start;
}

/** Longest path from `all` (Ansible raises a child's depth to one below its deepest parent). */
function depths(children: ReadonlyMap<string, readonly string[]>): Map<string, number> {
  const depth = new Map<string, number>();
  const parents = new Map<string, string[]>();
  for (const [p, cs] of children) for (const c of cs) parents.set(c, [...(parents.get(c) ?? []), p]);
  const of = (g: string): number => {
    const known = depth.get(g);
    if (known !== undefined) return known;
    const d = 1 + Math.max(0, ...(parents.get(g) ?? []).map(of));
    depth.set(g, d);
    return d;
  };
  for (const g of children.keys()) of(g);
  return depth;
}
