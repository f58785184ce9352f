import { describe, expect, it } from '@jest/globals';
import { hostGroup, runningMachine, TENANT } from './fixture.js';
import { buildInventory } from './model.js';

describe('buildInventory', () => {
  const machines = [
    runningMachine('web-1', { labels: { role: 'web' }, publicIp: '203.0.113.7', privateIp: '10.0.0.7', region: 'us-east-1', zone: 'us-east-1a', type: 't3.small', account: 'aws-east' }),
    runningMachine('db-1', { labels: { role: 'db' }, privateIp: '10.0.0.8', region: 'eu-west-1', zone: 'eu-west-1b', type: 'm5.large', account: 'aws.eu', pool: 'db-pool' }),
    runningMachine('no-instance', { instanceId: null }),
    runningMachine('no-address', { privateIp: '' }),
  ];

  it('puts every host with an instance and an address in all and the automatic groups, with names valid for Ansible', () => {
    const inv = buildInventory({ namespace: TENANT, machines, hostGroups: [] });
    expect([...inv.hosts.keys()]).toEqual(['db-1', 'web-1']);
    expect([...inv.groups.keys()]).toEqual([
      'all',
      'pool_db_pool',
      'pool_workers',
      'provider_aws_east',
      'provider_aws_eu',
      'region_eu_west_1',
      'region_us_east_1',
      'tenant_team_a',
      'type_m5_large',
      'type_t3_small',
      'zone_eu_west_1b',
      'zone_us_east_1a',
    ]);
    expect(inv.groups.get('tenant_team_a')?.hosts).toEqual(['db-1', 'web-1']);
    expect(inv.groups.get('all')?.children).toContain('region_us_east_1');
    expect(inv.hostGroups.get('db-1')).toEqual(['all', 'pool_db_pool', 'provider_aws_eu', 'region_eu_west_1', 'tenant_team_a', 'type_m5_large', 'zone_eu_west_1b']);
  });

  it('gives each host its facts: the public address else the private one, and where and what it is', () => {
    const inv = buildInventory({ namespace: TENANT, machines, hostGroups: [] });
    expect(inv.hosts.get('web-1')).toEqual({
      ansible_host: '203.0.113.7',
      polyfleet_provider: 'aws',
      polyfleet_account: 'aws-east',
      polyfleet_region: 'us-east-1',
      polyfleet_zone: 'us-east-1a',
      polyfleet_instance_type: 't3.small',
      polyfleet_instance_id: 'i-web-1',
      polyfleet_pool: 'workers',
      polyfleet_price_hourly: '0.0208',
      polyfleet_labels: { role: 'web' },
    });
    expect(inv.hosts.get('db-1')?.ansible_host).toBe('10.0.0.8');
  });

  it('makes each HostGroup a group with its members, subgroups, depth and priority; only hosts of the inventory', () => {
    const inv = buildInventory({
      namespace: TENANT,
      machines,
      hostGroups: [
        hostGroup('servers', { selector: { matchExpressions: [{ key: 'role', operator: 'Exists' }] }, children: ['web-tier'], priority: 3 }),
        hostGroup('web-tier', { hosts: ['web-1', 'no-address'], vars: { http_port: 8080 } }),
      ],
    });
    expect(inv.groups.get('servers')).toEqual({ name: 'servers', hosts: ['db-1', 'web-1'], children: ['web_tier'], vars: {}, priority: 3, depth: 1, hostGroup: 'servers' });
    expect(inv.groups.get('web_tier')).toMatchObject({ hosts: ['web-1'], depth: 2, vars: { http_port: 8080 } });
    expect(inv.groups.get('all')?.children).not.toContain('web_tier');
    expect(inv.hostGroups.get('web-1')).toContain('web_tier');
  });

  it('lets a HostGroup named like an automatic group (all, a region) add variables to it', () => {
    const inv = buildInventory({ namespace: TENANT, machines, hostGroups: [hostGroup('all', { vars: { ntp: 'pool.ntp.org' } }), hostGroup('region-us-east-1', { vars: { dns: '10.0.0.2' } })] });
    expect(inv.groups.get('all')).toMatchObject({ depth: 0, vars: { ntp: 'pool.ntp.org' } });
    expect(inv.groups.get('region_us_east_1')).toMatchObject({ depth: 1, hosts: ['web-1'], vars: { dns: '10.0.0.2' } });
  });

  it('says what it could not honour: a name clash, a cycle, a missing child, varsFrom not read', () => {
    const inv = buildInventory({
      namespace: TENANT,
      machines,
      hostGroups: [
        hostGroup('a-b', { children: ['ghost'] }),
        hostGroup('a.b', {}),
        hostGroup('x', { children: ['x'], varsFrom: [{ configMapKeyRef: { name: 'cm', key: 'vars.yaml' } }] }),
      ],
    });
    expect(inv.problems).toEqual([
      'HostGroup "a-b": HostGroup "ghost" not found',
      'HostGroup "a.b" is left out: its Ansible name "a_b" is HostGroup "a-b"\'s too',
      'HostGroup "x": the variables of its varsFrom were not read (not available here); only its vars are used',
      'HostGroup "x": its children form a cycle (x → x); those subgroups are left out',
    ]);
  });

  it('uses the variables varsFrom holds, in order, under the group\'s own vars', () => {
    const inv = buildInventory({
      namespace: TENANT,
      machines,
      hostGroups: [hostGroup('g', { varsFrom: [{ configMapKeyRef: { name: 'a', key: 'k' } }, { configMapKeyRef: { name: 'b', key: 'k' } }], vars: { c: 'vars' } })],
      varsFrom: new Map([['g', [{ a: 1, b: 1, c: 1 }, { b: 2, c: 2 }]]]),
    });
    expect(inv.groups.get('g')?.vars).toEqual({ a: 1, b: 2, c: 'vars' });
    expect(inv.problems).toEqual([]);
  });
});
