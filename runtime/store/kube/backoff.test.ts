import { describe, expect, it } from '@jest/globals';
import { Backoff } from './backoff.js';

describe('Backoff', () => {
  it('doubles up to the maximum, with jitter on top, and starts over after reset', () => {
    const backoff = new Backoff({ initialMs: 100, maxMs: 1_000, random: () => 0.5 });
    expect([1, 2, 3, 4, 5].map(() => backoff.next())).toEqual([150, 300, 600, 1_000, 1_000]);
    backoff.reset();
    expect(backoff.next()).toBe(150);
  });
});
