import { API_VERSION, describeIssues, parseKind, type Kind, type Machine, type NodePool, type ResourceOf, type Strategy } from '../../api/index.js';

/** Parses `input` as `kind` with the api/ schemas, defaults applied, as a store would keep it. */
function valid<K extends Kind>(kind: K, input: Record<string, unknown>): ResourceOf<K> {
  const parsed = parseKind(kind, { apiVersion: API_VERSION, kind, ...input });
  if (!parsed.ok) throw new Error(`test ${kind} is invalid:\n${describeIssues(parsed.issues)}`);
  return parsed.value;
}

export function testStrategy(namespace: string, name: string): Strategy & { kind: 'Strategy' } {
  return {
    ...valid('Strategy', {
      metadata: { name, namespace },
      spec: { pick: 'cheapest', providers: [{ name: 'sim-a', type: 'sim' }], hardware: {}, software: { os: 'ubuntu-24.04' } },
    }),
    kind: 'Strategy',
  };
}

export function testNodePool(namespace: string, name: string, strategy: string): NodePool & { kind: 'NodePool' } {
  return {
    ...valid('NodePool', { metadata: { name, namespace }, spec: { replicas: 1, strategyRef: { name: strategy }, template: {} } }),
    kind: 'NodePool',
  };
}

/** A Machine whose controller owner is `pool` (which must carry a uid, as a stored object does). */
export function testMachine(pool: NodePool, name: string, slot = 0): Machine & { kind: 'Machine' } {
  const namespace = pool.metadata.namespace ?? 'default';
  return {
    ...valid('Machine', {
      metadata: {
        name,
        namespace,
        ownerReferences: [{ apiVersion: API_VERSION, kind: 'NodePool', name: pool.metadata.name, uid: pool.metadata.uid ?? '', controller: true }],
      },
      spec: { pool: pool.metadata.name, provider: 'sim-a', providerType: 'sim', region: 'r1', zone: 'r1a', instanceType: 's1', slot, failureDomain: 'sim-a/r1/r1a' },
    }),
    kind: 'Machine',
  };
}
