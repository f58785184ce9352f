import { describe, expect, it } from '@jest/globals';
import { IMAGE_CACHE_TTL_MS, ImageCache } from './image-cache.js';

function cacheWithClock() {
  let now = 0;
  const calls: string[] = [];
  const cache = new ImageCache(() => now);
  /** The cloud answers `img-<region>-<os>`, or as `answer` says: an error, or none (no such image). */
  const lookup = (region: string, os: string, answer?: Error | 'none') =>
    cache.lookup(region, os, () => {
      calls.push(`${region}/${os}`);
      if (answer instanceof Error) return Promise.reject(answer);
      return Promise.resolve(answer === 'none' ? undefined : `img-${region}-${os}`);
    });
  return { calls, lookup, advance: (ms: number) => (now += ms) };
}

describe('ImageCache', () => {
  it('asks the cloud once for a scale-out’s worth of launches in one region, and again after the TTL', async () => {
    const { calls, lookup, advance } = cacheWithClock();
    const images = await Promise.all(Array.from({ length: 100 }, () => lookup('us-east-1', 'ubuntu-24.04')));
    expect(new Set(images)).toEqual(new Set(['img-us-east-1-ubuntu-24.04']));
    expect(await lookup('us-east-1', 'ubuntu-24.04')).toBe('img-us-east-1-ubuntu-24.04');
    expect(calls).toEqual(['us-east-1/ubuntu-24.04']);
    await lookup('eu-west-1', 'ubuntu-24.04');
    await lookup('us-east-1', 'debian-12');
    expect(calls).toHaveLength(3);
    advance(IMAGE_CACHE_TTL_MS - 1);
    await lookup('us-east-1', 'ubuntu-24.04');
    expect(calls).toHaveLength(3);
    advance(1);
    await lookup('us-east-1', 'ubuntu-24.04');
    expect(calls).toHaveLength(4);
  });

  it('keeps neither a failure nor "no such image"', async () => {
    const { calls, lookup } = cacheWithClock();
    await expect(lookup('r1', 'os', new Error('throttled'))).rejects.toThrow('throttled');
    expect(await lookup('r1', 'os', 'none')).toBeUndefined();
    expect(await lookup('r1', 'os')).toBe('img-r1-os');
    expect(await lookup('r1', 'os')).toBe('img-r1-os');
    expect(calls).toEqual(['r1/os', 'r1/os', 'r1/os']);
  });
});
