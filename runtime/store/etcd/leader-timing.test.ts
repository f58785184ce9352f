import { describe, expect, it } from '@jest/globals';
import { leaderTiming } from './leader-timing.js';

describe('leaderTiming', () => {
  it.each([2, 4, 15, 60, 3600])('a %i s lease: a dead leader is replaced within it, a live one stops first', (seconds) => {
    const t = leaderTiming(seconds);
    // Latest handover after a kill: the last rewrite just before it, seen one poll late, judged one poll late.
    expect(t.staleMs + 2 * t.pollMs).toBeLessThan(t.leaseMs);
    // A cut-off leader stops (fence, checked on its cadence) before a follower may take over.
    expect(t.fenceMs + t.fenceCheckMs).toBeLessThan(t.staleMs);
    // Several renewals may fail before the fence.
    expect(t.fenceMs / t.renewMs).toBeGreaterThanOrEqual(3);
  });

  it('keeps the 15 s default and refuses what etcd cannot lease', () => {
    expect(leaderTiming().leaseMs).toBe(15_000);
    expect(() => leaderTiming(1)).toThrow('at least 2; got 1');
    expect(() => leaderTiming(2.5)).toThrow('whole number of seconds');
  });
});
