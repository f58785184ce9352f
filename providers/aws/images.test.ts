import { describe, expect, it } from '@jest/globals';
import { newestOf, osOfImage } from './images.js';

describe('image selection', () => {
  it('takes the latest CreationDate, then the later build name, and skips entries without an id', () => {
    const images = [
      { ImageId: 'ami-old', Name: 'ubuntu/images/hvm-ssd-gp3/ubuntu-noble-24.04-amd64-server-20250115', CreationDate: '2025-01-15T08:00:00.000Z' },
      { ImageId: 'ami-new', Name: 'ubuntu/images/hvm-ssd-gp3/ubuntu-noble-24.04-amd64-server-20250610', CreationDate: '2025-06-10T08:00:00.000Z' },
      { Name: 'no id', CreationDate: '2030-01-01T00:00:00.000Z' },
    ];
    expect(newestOf(images)?.ImageId).toBe('ami-new');
    const sameStamp = images.map((i) => ({ ...i, CreationDate: '2026-01-01T00:00:00.000Z' }));
    expect(newestOf(sameStamp)?.ImageId).toBe('ami-new');
    expect(newestOf([])).toBeUndefined();
  });

  it("knows an image's OS by its publisher's account and name, never by the name alone", () => {
    expect(osOfImage({ OwnerId: '099720109477', Name: 'ubuntu/images/hvm-ssd-gp3/ubuntu-noble-24.04-amd64-server-20250610' })).toBe('ubuntu-24.04');
    expect(osOfImage({ OwnerId: '137112412989', Name: 'al2023-ami-2023.7.20250601.0-kernel-6.1-arm64' })).toBe('amazon-linux-2023');
    expect(osOfImage({ OwnerId: '123456789012', Name: 'ubuntu/images/hvm-ssd-gp3/ubuntu-noble-24.04-amd64-server-20250610' })).toBeUndefined();
    expect(osOfImage({ OwnerId: '099720109477', Name: 'ubuntu/images/hvm-ssd/ubuntu-jammy-22.04-amd64-server-20250610' })).toBe('ubuntu-22.04');
    expect(osOfImage({ OwnerId: '099720109477', Name: 'ubuntu-pro/images/ubuntu-noble-24.04-amd64-pro-server-20250610' })).toBeUndefined();
  });
});
