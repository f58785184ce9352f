import { describe, expect, it } from '@jest/globals';
import { LeaseElector } from './lease-elector.js';
import { leaseTiming } from './lease-timing.js';

describe('leaseTiming', () => {
  it("is client-go's 15 s / 10 s / 2 s by default", () => {
    expect(leaseTiming()).toEqual({ leaseDurationSeconds: 15, renewDeadlineMs: 10_000, retryPeriodMs: 2_000 });
  });

  it('keeps the proportions for other Leases, each one an elector accepts', () => {
    for (const seconds of [2, 3, 5, 7, 60, 600]) {
      const timing = leaseTiming(seconds);
      expect(timing.renewDeadlineMs / (seconds * 1000)).toBeCloseTo(2 / 3, 2);
      expect(timing.retryPeriodMs / (seconds * 1000)).toBeCloseTo(2 / 15, 2);
      expect(() => new LeaseElector({ client: { description: 'test' } as never, logger: { child: () => ({}) } as never, ...timing })).not.toThrow();
    }
  });

  it('refuses a Lease shorter than 2 s or not whole seconds (a Lease counts whole seconds)', () => {
    expect(() => leaseTiming(1)).toThrow('the Lease duration must be a whole number of seconds, at least 2; got 1');
    expect(() => leaseTiming(2.5)).toThrow('got 2.5');
  });
});
