import { describe, expect, it } from '@jest/globals';
import { familyUrl, imageFamily, imageForArch } from './images.js';

const ROOT = 'https://www.googleapis.com/compute/v1/projects';

describe('GCE images by os and architecture', () => {
  it('maps an os to its amd64 family, and an unknown os to none', () => {
    expect(imageFamily('ubuntu-24.04')).toEqual({ project: 'ubuntu-os-cloud', family: 'ubuntu-2404-lts-amd64' });
    expect(imageFamily('debian-12')).toEqual({ project: 'debian-cloud', family: 'debian-12' });
    expect(imageFamily('toString')).toBeUndefined();
  });

  it('turns an image selfLink into its family URL', () => {
    expect(familyUrl(`${ROOT}/debian-cloud/global/images/debian-12-bookworm-v20251111`, 'debian-12')).toBe(`${ROOT}/debian-cloud/global/images/family/debian-12`);
  });

  it('boots Arm machine types from the arm64 sibling of our families, and leaves every other image alone', () => {
    expect(imageForArch(`${ROOT}/ubuntu-os-cloud/global/images/family/ubuntu-2404-lts-amd64`, 'arm64')).toBe(`${ROOT}/ubuntu-os-cloud/global/images/family/ubuntu-2404-lts-arm64`);
    expect(imageForArch(`${ROOT}/debian-cloud/global/images/family/debian-12`, 'arm64')).toBe(`${ROOT}/debian-cloud/global/images/family/debian-12-arm64`);
    expect(imageForArch(`${ROOT}/debian-cloud/global/images/family/debian-12`, 'amd64')).toBe(`${ROOT}/debian-cloud/global/images/family/debian-12`);
    for (const pinned of [`${ROOT}/debian-cloud/global/images/debian-12-bookworm-v20251111`, `${ROOT}/my-project/global/images/family/debian-12`, 'projects/x/global/images/mine']) {
      expect(imageForArch(pinned, 'arm64')).toBe(pinned);
    }
  });
});
