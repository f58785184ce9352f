import { describe, expect, it } from '@jest/globals';
import { conflictTable, TRICKY_VALUES } from './fixture.js';
import { buildInventory } from './model.js';
import { describeSource, hostVarValues, resolveHostVars, type VarBlame } from './variables.js';

const inventory = buildInventory(conflictTable());
const blameOf = (host: string, name: string): { value: unknown; from: string; overrode: string[] } => {
  const b = resolveHostVars(inventory, host)?.find((v) => v.name === name) as VarBlame;
  return { value: b.value, from: describeSource(b.source), overrode: b.overridden.map((o) => `${describeSource(o.source)}=${JSON.stringify(o.value)}`) };
};

describe('resolveHostVars (Ansible\'s order, with blame)', () => {
  it('lets a child group beat its parent and all, whatever their priorities', () => {
    expect(blameOf('h1', 'v_child')).toEqual({ value: 'edge', from: 'group edge', overrode: ['group all="all"', 'group web="web"'] });
    expect(blameOf('h2', 'v_child')).toEqual({ value: 'web', from: 'group web', overrode: ['group all="all"'] });
  });

  it('orders groups of one depth by priority, then by name (the later wins)', () => {
    expect(blameOf('h1', 'v_prio')).toEqual({ value: 'aaa-high', from: 'group aaa_high (HostGroup aaa-high)', overrode: ['group all="all"', 'group zzz_low (HostGroup zzz-low)="zzz-low"', 'group web="web"'] });
    expect(blameOf('h1', 'v_name')).toEqual({ value: 'web', from: 'group web', overrode: ['group all="all"', 'group zzz_low (HostGroup zzz-low)="zzz-low"', 'group mmm="mmm"'] });
  });

  it('counts depth along the deepest path: a grandchild beats its parent at any priority', () => {
    expect(blameOf('h3', 'v_child')).toEqual({ value: 'edge-db-leaf', from: 'group edge_db_leaf (HostGroup edge-db-leaf)', overrode: ['group all="all"', 'group dbs="dbs"', 'group edge_db (HostGroup edge-db)="edge-db"'] });
  });

  it('gives automatic groups a HostGroup\'s variables by name, and host facts the last word', () => {
    expect(blameOf('h1', 'v_parent')).toEqual({ value: 'web', from: 'group web', overrode: ['group all="all"', 'group region_us_east_1 (HostGroup region-us-east-1)="region"'] });
    expect(resolveHostVars(inventory, 'h2')?.map((v) => v.name)).not.toContain('v_region');
    expect(blameOf('h1', 'polyfleet_zone')).toEqual({ value: 'us-east-1a', from: 'host facts', overrode: ['group web="from-web"'] });
  });

  it('replaces a map whole, as Ansible\'s default hash_behaviour does', () => {
    expect(blameOf('h1', 'v_map').value).toEqual({ b: 2 });
  });

  it('keeps every value\'s type', () => {
    const values = hostVarValues(resolveHostVars(inventory, 'h3') ?? []);
    for (const [k, v] of Object.entries(TRICKY_VALUES)) expect(values[k]).toEqual(v);
  });

  it('knows no host that is not in the inventory', () => {
    expect(resolveHostVars(inventory, 'nope')).toBeUndefined();
  });
});
