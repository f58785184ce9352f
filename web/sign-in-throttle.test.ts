import { describe, expect, it } from '@jest/globals';
import type { HttpProblem } from '../runtime/http/index.js';
import { SignInThrottle } from './sign-in-throttle.js';

/** What check(address) threw, or undefined when it let the address try. */
function refusal(throttle: SignInThrottle, address: string): HttpProblem | undefined {
  try {
    throttle.check(address);
    return undefined;
  } catch (e) {
    return e as HttpProblem;
  }
}

describe('SignInThrottle', () => {
  it('lets an address in again once its oldest refusal leaves the window, and counts addresses apart', () => {
    let now = 0;
    const throttle = new SignInThrottle({ now: () => now, failures: 3, windowMs: 60_000 });
    for (const at of [0, 10_000, 20_000]) {
      now = at;
      expect(refusal(throttle, '192.0.2.1')).toBeUndefined();
      throttle.refused('192.0.2.1');
    }
    now = 30_000;
    const problem = refusal(throttle, '192.0.2.1');
    expect([problem?.status, problem?.headers['Retry-After'], problem?.detail]).toEqual([429, '30', '3 sign-ins from 192.0.2.1 were refused in the last 1 minutes; try again in 30 s']);
    expect(refusal(throttle, '192.0.2.2')).toBeUndefined();
    now = 60_001;
    expect(refusal(throttle, '192.0.2.1')).toBeUndefined();
  });

  it('forgets an address\'s refusals when it signs in, and keeps at most maxAddresses', () => {
    const throttle = new SignInThrottle({ now: () => 0, failures: 2, maxAddresses: 2 });
    throttle.refused('a');
    throttle.refused('a');
    expect(refusal(throttle, 'a')?.status).toBe(429);
    throttle.succeeded('a');
    expect(refusal(throttle, 'a')).toBeUndefined();
    for (const address of ['b', 'c', 'd']) {
      throttle.refused(address);
      throttle.refused(address);
    }
    // 'b', refused longest ago, was forgotten to keep two.
    expect(['b', 'c', 'd'].map((address) => refusal(throttle, address)?.status)).toEqual([undefined, 429, 429]);
  });
});
