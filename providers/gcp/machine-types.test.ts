import { describe, expect, it } from '@jest/globals';
import { archOf, BOOT_DISK_GIB, mergeZones, offeringOf } from './machine-types.js';

describe('GCE machine types → offerings', () => {
  it.each([
    ['t2a-standard-1', 'arm64'],
    ['c4a-highmem-8', 'arm64'],
    ['n4a-standard-2', 'arm64'],
    ['e2-medium', 'amd64'],
    ['t2d-standard-1', 'amd64'],
    ['a2-highgpu-1g', 'amd64'],
  ])('%s is %s', (type, arch) => {
    expect(archOf(type)).toBe(arch);
  });

  it('takes cpu, memory in GiB and the GPU from the type, and the boot disk polyfleet creates', () => {
    const g2 = offeringOf({ name: 'g2-standard-4', guestCpus: 4, memoryMb: 16384, accelerators: [{ guestAcceleratorType: 'nvidia-l4', guestAcceleratorCount: 1 }] }, 'us-central1-a', '0.70683');
    expect(g2).toEqual({ instanceType: 'g2-standard-4', cpu: 4, memoryGiB: 16, gpu: { count: 1, model: 'nvidia-l4' }, arch: 'amd64', diskGiB: BOOT_DISK_GIB, hourlyPrice: '0.70683', zones: ['us-central1-a'] });
    expect(offeringOf({ name: 'f1-micro', guestCpus: 1, memoryMb: 614 }, 'z', '0.0076')?.memoryGiB).toBe(0.6);
    expect(offeringOf({ name: 'old', guestCpus: 1, memoryMb: 1024, deprecated: { state: 'OBSOLETE' } }, 'z', '1')).toBeUndefined();
    expect(offeringOf({ name: 'x', guestCpus: 0, memoryMb: 1024 }, 'z', '1')).toBeUndefined();
  });

  it('merges one type of several zones into one offering with every zone', () => {
    const a = offeringOf({ name: 'e2-small', guestCpus: 2, memoryMb: 2048 }, 'us-central1-a', '0.016751');
    const b = offeringOf({ name: 'e2-small', guestCpus: 2, memoryMb: 2048 }, 'us-central1-b', '0.016751');
    const c = offeringOf({ name: 'e2-micro', guestCpus: 2, memoryMb: 1024 }, 'us-central1-b', '0.008376');
    expect(mergeZones([a, b, c].flatMap((o) => (o === undefined ? [] : [o]))).map((o) => [o.instanceType, o.zones])).toEqual([
      ['e2-micro', ['us-central1-b']],
      ['e2-small', ['us-central1-a', 'us-central1-b']],
    ]);
  });
});
