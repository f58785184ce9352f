import { describe, expect, it } from '@jest/globals';
import { conflictTable } from './fixture.js';
import { filterInventory, parseKeyValue } from './host-filter.js';
import { buildInventory } from './model.js';

const inventory = buildInventory(conflictTable());
const kept = (filter: Parameters<typeof filterInventory>[1]) => [...filterInventory(inventory, filter).hosts.keys()];

describe('filterInventory', () => {
  it('keeps hosts by region, by group (subgroups count), by label and by resolved variable', () => {
    expect(kept({ region: 'eu-west-1' })).toEqual(['h2']);
    expect(kept({ group: 'web' })).toEqual(['h1', 'h2']);
    expect(kept({ group: 'edge' })).toEqual(['h1']);
    expect(kept({ labels: [{ key: 'role', value: 'db' }] })).toEqual(['h3', expect.stringMatching(/^long-name/)]);
    expect(kept({ vars: [{ key: 'v_prio', value: 'aaa-high' }], region: 'us-east-1' })).toEqual(['h1']);
    expect(kept({ vars: [{ key: 'v_int', value: '42' }], group: 'edge' })).toEqual(['h1']);
  });

  it('keeps every group, with only the kept hosts in it', () => {
    const f = filterInventory(inventory, { region: 'eu-west-1' });
    expect([...f.groups.keys()]).toEqual([...inventory.groups.keys()]);
    expect(f.groups.get('web')?.hosts).toEqual(['h2']);
    expect(f.groups.get('edge')?.hosts).toEqual([]);
  });

  it('reads key=value and names the flag when it is not', () => {
    expect(parseKeyValue('label', 'role=web=x')).toEqual({ key: 'role', value: 'web=x' });
    expect(() => parseKeyValue('var', 'novalue')).toThrow('--var must be key=value, got "novalue"');
  });
});
