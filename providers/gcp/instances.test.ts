import { describe, expect, it } from '@jest/globals';
import { TAG_POOL } from '../types.js';
import { REQUEST_METADATA_KEY, storedRequest, toInstance } from './instances.js';
import type { GceInstance } from './instances.js';
import { TAGS_METADATA_KEY } from './labels.js';

const ZONE = 'https://www.googleapis.com/compute/v1/projects/p/zones/europe-west4-b';
const price = (region: string, type: string): string => (region === 'europe-west4' && type === 'n2-standard-2' ? '0.1068' : '0');

const gce = (over: GceInstance = {}): GceInstance => ({
  name: 'pf-abc-a1',
  zone: ZONE,
  machineType: `${ZONE}/machineTypes/n2-standard-2`,
  status: 'RUNNING',
  creationTimestamp: '2026-11-22T03:00:00.000-08:00',
  labels: { 'polyfleet-io_pool': 'web_2etier', team: 'infra' },
  networkInterfaces: [{ networkIP: '10.164.0.2', accessConfigs: [{ natIP: '34.90.1.2' }] }],
  ...over,
});

describe('GCE instance → Instance', () => {
  it('maps id, location, type, price, addresses, tags and creation time', () => {
    expect(toInstance(gce(), 'gcp-a', price)).toEqual({
      id: 'europe-west4-b/pf-abc-a1',
      account: 'gcp-a',
      region: 'europe-west4',
      zone: 'europe-west4-b',
      instanceType: 'n2-standard-2',
      state: 'running',
      addresses: [
        { type: 'InternalIP', address: '10.164.0.2' },
        { type: 'ExternalIP', address: '34.90.1.2' },
      ],
      tags: { [TAG_POOL]: 'web.tier', team: 'infra' },
      createdAt: '2026-11-22T11:00:00.000Z',
      hourlyPrice: '0.1068',
    });
  });

  it.each([
    ['PROVISIONING', 'pending'],
    ['STAGING', 'pending'],
    ['REPAIRING', 'pending'],
    ['RUNNING', 'running'],
    ['STOPPING', 'stopping'],
    ['SUSPENDING', 'stopping'],
    ['TERMINATED', 'stopped'],
    ['SUSPENDED', 'stopped'],
    ['SOMETHING_NEW', 'failed'],
  ])('GCE status %s is %s', (status, state) => {
    expect(toInstance(gce({ status }), 'gcp-a', price).state).toBe(state);
  });

  it.each(['RUNNING', 'STOPPING', 'TERMINATED'])('an instance whose delete was accepted is terminating whatever GCE shows (%s)', (status) => {
    expect(toInstance(gce({ status }), 'gcp-a', price, true)).toMatchObject({ state: 'terminating', stateReason: `being deleted (GCE status ${status})` });
  });

  it('reads tags from the verbatim metadata copy, and the stored request for retries', () => {
    const items = [
      { key: TAGS_METADATA_KEY, value: JSON.stringify({ [TAG_POOL]: 'Web.Tier' }) },
      { key: REQUEST_METADATA_KEY, value: JSON.stringify({ zone: 'europe-west4-b', instanceType: 'n2-standard-2', image: 'img' }) },
    ];
    const instance = gce({ metadata: { items } });
    expect(toInstance(instance, 'gcp-a', price).tags[TAG_POOL]).toBe('Web.Tier');
    expect(storedRequest(instance)).toEqual({ zone: 'europe-west4-b', instanceType: 'n2-standard-2', image: 'img' });
    expect(storedRequest(gce({ metadata: { items: [{ key: REQUEST_METADATA_KEY, value: 'not json' }] } }))).toBeUndefined();
  });
});
