import { describe, expect, it } from '@jest/globals';
import { parseKind, resolveHostGroups, type HostGroup } from './index.js';

const group = (name: string, spec: Partial<HostGroup['spec']>): HostGroup => ({
  apiVersion: 'polyfleet.io/v1alpha1',
  kind: 'HostGroup',
  metadata: { name, namespace: 'default' },
  spec: { priority: 1, ...spec },
});
const machine = (name: string, labels: Record<string, string> = {}) => ({ metadata: { name, labels } });

describe('HostGroup schema', () => {
  it('defaults priority to 1, as Ansible does', () => {
    const r = parseKind('HostGroup', { apiVersion: 'polyfleet.io/v1alpha1', kind: 'HostGroup', metadata: { name: 'web' }, spec: {} });
    expect(r.ok && r.value.spec.priority).toBe(1);
  });

  it('refuses a varsFrom entry naming both a ConfigMap and a Secret, on that entry', () => {
    const r = parseKind('HostGroup', {
      apiVersion: 'polyfleet.io/v1alpha1',
      kind: 'HostGroup',
      metadata: { name: 'web' },
      spec: { varsFrom: [{ configMapKeyRef: { name: 'a', key: 'k' }, secretKeyRef: { name: 'b', key: 'k' } }] },
    });
    expect(r.ok ? [] : r.issues).toEqual([{ path: 'spec.varsFrom[0]', message: 'give exactly one of configMapKeyRef and secretKeyRef' }]);
  });

  it('refuses a secret path that climbs out of secrets/', () => {
    const r = parseKind('HostGroup', { apiVersion: 'polyfleet.io/v1alpha1', kind: 'HostGroup', metadata: { name: 'web' }, spec: { secrets: [{ name: 's', key: 'k', path: '../etc/passwd' }] } });
    expect(r.ok ? [] : r.issues.map((i) => i.path)).toEqual(['spec.secrets[0].path']);
  });
});

describe('resolveHostGroups', () => {
  const machines = [machine('a', { role: 'web', env: 'prod' }), machine('b', { role: 'db' }), machine('c', { role: 'web' })];

  it('matches hosts by selector (labels and expressions) and by name', () => {
    const g = resolveHostGroups(
      [
        group('web', { selector: { matchLabels: { role: 'web' }, matchExpressions: [{ key: 'env', operator: 'NotIn', values: ['prod'] }] } }),
        group('named', { hosts: ['b', 'a'] }),
        group('none', {}),
      ],
      machines,
    );
    expect(g.directHosts.get('web')).toEqual(['c']);
    expect(g.directHosts.get('named')).toEqual(['a', 'b']);
    expect(g.directHosts.get('none')).toEqual([]);
  });

  it('counts depth as Ansible does (deepest parent plus one) and gives a group its descendants\' hosts', () => {
    const g = resolveHostGroups(
      [group('top', { children: ['mid', 'leaf'] }), group('mid', { children: ['leaf'] }), group('leaf', { hosts: ['a'] }), group('lone', {})],
      machines,
    );
    expect(Object.fromEntries(g.depth)).toEqual({ top: 1, mid: 2, leaf: 3, lone: 1 });
    expect(g.hostsOf('top')).toEqual(['a']);
  });

  it('names a cycle in children and leaves its edges out, so the rest still resolves', () => {
    const g = resolveHostGroups([group('x', { children: ['y'] }), group('y', { children: ['z'] }), group('z', { children: ['x'], hosts: ['a'] }), group('self', { children: ['self'] })], machines);
    expect(g.cycles.get('x')).toBe('x → y → z → x');
    expect(g.cycles.get('self')).toBe('self → self');
    expect(g.children.get('z')).toEqual([]);
    expect(g.hostsOf('self')).toEqual([]);
  });

  it('names missing children and hosts', () => {
    const g = resolveHostGroups([group('p', { children: ['ghost'], hosts: ['a', 'nope'] })], machines);
    expect(g.missing.get('p')).toEqual(['HostGroup "ghost"', 'Machine "nope"']);
    expect(g.hostsOf('p')).toEqual(['a']);
  });
});
