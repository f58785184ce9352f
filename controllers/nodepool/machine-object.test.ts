import { describe, expect, it } from '@jest/globals';
import { ANNOTATION_HOURLY_PRICE, ANNOTATION_PLACEMENT, API_VERSION, LABEL_POOL, type NodePool } from '../../api/index.js';
import { slots } from './events.js';
import { newMachine, randomSuffix } from './machine-object.js';
import { offerings } from './plan-fixture.js';

const pool = (name: string): NodePool => ({
  apiVersion: API_VERSION,
  kind: 'NodePool',
  metadata: { name, namespace: 'team-a', uid: 'uid-1' },
  spec: {
    replicas: 1,
    redundancy: '1:1',
    strategyRef: { name: 's' },
    template: { labels: { role: 'worker', [LABEL_POOL]: 'other' }, annotations: { [ANNOTATION_PLACEMENT]: 'mine', note: 'kept' }, userData: '#cloud-config' },
    disruption: { maxUnavailable: 1 },
    readyTimeoutSeconds: 900,
    remediation: { maxUnhealthy: '40%', windowSeconds: 600 },
    dryRun: false,
    paused: false,
  },
});

describe('newMachine', () => {
  const [offering] = offerings(['sim-b'], ['z2'], { t9: '0.5' });
  if (offering === undefined) throw new Error('no offering');
  const create = { kind: 'placed' as const, slot: 7, domain: 'sim-b/r1', offering, explanation: 'why' };

  const account = { name: 'sim-b', type: 'sim' as const, regions: ['r1'], prices: { t9: '0.4' }, credentialsSecretRef: { name: 'sim-key' } };

  it('keeps the pool\'s own labels and annotations over the template\'s', () => {
    const m = newMachine(pool('workers'), create, 'abcde', account);
    expect(m.metadata).toMatchObject({
      name: 'workers-abcde',
      namespace: 'team-a',
      labels: { role: 'worker', [LABEL_POOL]: 'workers', 'polyfleet.io/slot': '7', 'polyfleet.io/provider': 'sim-b' },
      annotations: { note: 'kept', [ANNOTATION_PLACEMENT]: 'why', [ANNOTATION_HOURLY_PRICE]: '0.5' },
      ownerReferences: [{ apiVersion: API_VERSION, kind: 'NodePool', name: 'workers', uid: 'uid-1', controller: true, blockOwnerDeletion: true }],
    });
    expect(m.spec).toEqual({
      pool: 'workers', provider: 'sim-b', providerType: 'sim', region: 'r1', zone: 'z2', instanceType: 't9', image: 'img-1', slot: 7, failureDomain: 'sim-b/r1', userData: '#cloud-config',
      providerAccount: { name: 'sim-b', type: 'sim', credentialsSecretRef: { name: 'sim-key' } },
    });
  });

  it('records how to reach its account, not the account\'s regions or prices', () => {
    expect(newMachine(pool('workers'), create, 'abcde', account).spec.providerAccount).toEqual({ name: 'sim-b', type: 'sim', credentialsSecretRef: { name: 'sim-key' } });
    expect(newMachine(pool('workers'), create, 'abcde', undefined).spec.providerAccount).toBeUndefined();
  });

  it('cuts a long pool name so the Machine name stays within 253 characters', () => {
    expect(newMachine(pool('p'.repeat(253)), create, 'abcde', account).metadata.name).toBe(`${'p'.repeat(247)}-abcde`);
  });
});

describe('names and slot lists', () => {
  it.each([
    { random: 0, want: 'aaaaa' },
    { random: 0.9999, want: '99999' },
  ])('randomSuffix draws five [a-z0-9] ($want)', ({ random, want }) => {
    expect(randomSuffix(() => random)).toBe(want);
  });

  it.each([
    { list: [], want: '' },
    { list: [3], want: '3' },
    { list: [7, 0, 1, 2, 3, 9, 10], want: '0-3, 7, 9-10' },
  ])('slots($list) is "$want"', ({ list, want }) => {
    expect(slots(list)).toBe(want);
  });
});
