import { API_VERSION } from '../api/index.js';
import type { HostGroup, Machine } from '../api/index.js';

export const TENANT = 'team-a';

/** A Machine with an instance and addresses, as the Machine controller leaves a Running one. */
export function runningMachine(name: string, o: { labels?: Record<string, string>; account?: string; region?: string; zone?: string; type?: string; pool?: string; publicIp?: string; privateIp?: string; price?: string; instanceId?: string | null } = {}): Machine {
  const region = o.region ?? 'us-east-1';
  const addresses = [
    ...(o.privateIp === undefined ? [{ type: 'InternalIP' as const, address: `10.0.0.${name.length}` }] : o.privateIp === '' ? [] : [{ type: 'InternalIP' as const, address: o.privateIp }]),
    ...(o.publicIp === undefined || o.publicIp === '' ? [] : [{ type: 'ExternalIP' as const, address: o.publicIp }]),
  ];
  return {
    apiVersion: API_VERSION,
    kind: 'Machine',
    metadata: { name, namespace: TENANT, labels: o.labels ?? {} },
    spec: {
      pool: o.pool ?? 'workers',
      provider: o.account ?? 'aws-east',
      providerType: 'aws',
      region,
      zone: o.zone ?? `${region}a`,
      instanceType: o.type ?? 't3.small',
      slot: 0,
      failureDomain: `${o.account ?? 'aws-east'}/${region}/${o.zone ?? `${region}a`}`,
    },
    status: {
      phase: 'Running',
      ...(o.instanceId === null ? {} : { instanceId: o.instanceId ?? `i-${name}` }),
      addresses,
      hourlyPrice: o.price ?? '0.0208',
    },
  };
}

export function hostGroup(name: string, spec: Partial<HostGroup['spec']>): HostGroup {
  return { apiVersion: API_VERSION, kind: 'HostGroup', metadata: { name, namespace: TENANT }, spec: { priority: 1, ...spec } };
}

/** Values YAML 1.1 (Ansible's PyYAML) and Python literals (its INI plugin) would read as something else if written carelessly. */
export const TRICKY_VALUES = {
  v_yes: 'yes',
  v_off: 'off',
  v_date: '2026-01-01',
  v_octal: '017',
  v_exp: '1e3',
  v_null_word: 'null',
  v_tilde: '~',
  v_price: '0.10',
  v_bool: true,
  v_int: 42,
  v_float: 0.5,
  v_huge: 1e21,
  v_tiny: 5e-7,
  v_negative: -3,
  v_none: null,
  v_nested: { list: [1, 'two', null, false], map: { 'key with space': 'v' } },
  v_multiline: 'line one\nline two',
  v_quotes: 'it\'s "quoted" \\ back',
  v_colon: 'a: b',
  v_hash: '#not a comment',
  v_unicode: 'Grüße ✓',
  v_template_like: 'plain {braces}',
  yes: 'a variable named like a YAML 1.1 boolean',
} as const;

/**
 * Conflicting variables at every level Ansible orders: `all`, parent and child groups, siblings of
 * one depth ordered by priority and then by name, automatic groups, and host facts.
 */
export function conflictTable() {
  const machines = [
    runningMachine('h1', { labels: { role: 'web' }, publicIp: '192.0.2.1' }),
    runningMachine('h2', { labels: { role: 'web' }, region: 'eu-west-1' }),
    runningMachine('h3', { labels: { role: 'db' } }),
    // Its host_vars/ path is longer than a ustar header holds: a bundle's tar needs a pax header for it.
    runningMachine(`long-name.${'x'.repeat(60)}.${'y'.repeat(60)}`, { labels: { role: 'db' } }),
  ];
  const web = { matchLabels: { role: 'web' } };
  const hostGroups = [
    hostGroup('all', { vars: { v_all: 'all', v_parent: 'all', v_child: 'all', v_prio: 'all', v_name: 'all', v_map: { a: 1, b: 1 }, ...TRICKY_VALUES } }),
    hostGroup('web', { selector: web, children: ['edge'], vars: { v_parent: 'web', v_child: 'web', v_prio: 'web', v_name: 'web', v_map: { b: 2 }, polyfleet_zone: 'from-web' } }),
    hostGroup('edge', { hosts: ['h1'], priority: -5, vars: { v_child: 'edge', v_deep: 'edge' } }),
    hostGroup('aaa-high', { selector: web, priority: 10, vars: { v_prio: 'aaa-high' } }),
    hostGroup('zzz-low', { selector: web, priority: 0, vars: { v_prio: 'zzz-low', v_name: 'zzz-low' } }),
    hostGroup('mmm', { selector: web, vars: { v_name: 'mmm', v_deep: 'mmm' } }),
    hostGroup('region-us-east-1', { vars: { v_region: 'us-east-1', v_parent: 'region' } }),
    hostGroup('dbs', { selector: { matchLabels: { role: 'db' } }, children: ['edge-db'], vars: { v_child: 'dbs' } }),
    hostGroup('edge-db', { hosts: ['h3'], children: ['edge-db-leaf'], vars: { v_child: 'edge-db' } }),
    hostGroup('edge-db-leaf', { hosts: ['h3'], priority: -100, vars: { v_child: 'edge-db-leaf' } }),
    hostGroup('nobody', { selector: { matchLabels: { role: 'none' } } }),
  ];
  return { namespace: TENANT, machines, hostGroups };
}
