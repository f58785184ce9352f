import { describe, expect, it } from '@jest/globals';
import { OfferingBackoff } from './offering-backoff.js';

describe('OfferingBackoff', () => {
  it('marks a path and everything under it out, doubling on repeats, until it expires', () => {
    let now = 0;
    const b = new OfferingBackoff({ now: () => new Date(now) }, 1000, 8000);
    expect(b.markOut('sim-a/r1/r1a', 'capacity')).toBe(1000);
    expect(b.isOut('sim-a/r1/r1a/s1')).toBe(true);
    expect(b.isOut('sim-a/r1/r1b/s1')).toBe(false);
    expect(b.reasonOut('sim-a/r1/r1a/s1')).toBe('sim-a/r1/r1a: capacity');
    expect(b.markOut('sim-a/r1/r1a', 'capacity')).toBe(2000);
    expect(b.nextExpiryMs()).toBe(2000);
    now = 2001;
    expect(b.isOut('sim-a/r1/r1a')).toBe(false);
    expect(b.nextExpiryMs()).toBeUndefined();
  });
});
