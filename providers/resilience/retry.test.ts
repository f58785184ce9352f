import { describe, expect, it } from '@jest/globals';
import { AuthError, CapacityError, InvalidRequestError, QuotaError, ThrottledError, TransientError } from '../errors.js';
import { DEFAULT_RETRY_POLICY, retryDelayMs, withRetry, type RetryTiming } from './retry.js';

const policy = DEFAULT_RETRY_POLICY;

/** Records every back-off instead of sleeping; `random` returns the values given, in turn. */
function fakeTiming(...draws: number[]): RetryTiming & { slept: number[] } {
  const slept: number[] = [];
  return {
    slept,
    sleep: (ms) => {
      slept.push(ms);
      return Promise.resolve();
    },
    random: () => draws.shift() ?? 0.5,
  };
}

/** Fails with `errors` in turn, then answers "done"; counts attempts. */
function script(...errors: Error[]) {
  let attempts = 0;
  return {
    attempts: () => attempts,
    call: () => {
      attempts++;
      const error = errors.shift();
      return error === undefined ? Promise.resolve('done') : Promise.reject(error);
    },
  };
}

describe('withRetry', () => {
  it.each([
    { kind: 'throttled', error: new ThrottledError('slow down', 'aws-east') },
    { kind: 'transient', error: new TransientError('HTTP 503', 'aws-east') },
  ])('retries $kind failures and answers once the call succeeds', async ({ error }) => {
    const calls = script(error, error);
    const timing = fakeTiming();
    await expect(withRetry(policy, timing, calls.call)).resolves.toBe('done');
    expect(calls.attempts()).toBe(3);
    expect(timing.slept).toHaveLength(2);
  });

  it('gives up after 4 attempts with the last error', async () => {
    const last = new TransientError('HTTP 503 (4th)', 'aws-east');
    const calls = script(new TransientError('1', 'a'), new TransientError('2', 'a'), new TransientError('3', 'a'), last, new TransientError('5', 'a'));
    const timing = fakeTiming();
    await expect(withRetry(policy, timing, calls.call)).rejects.toBe(last);
    expect(calls.attempts()).toBe(4);
    expect(timing.slept).toHaveLength(3);
  });

  it.each([
    { kind: 'capacity', error: new CapacityError('no room', 'aws-east') },
    { kind: 'quota', error: new QuotaError('vCPU limit', 'aws-east') },
    { kind: 'auth', error: new AuthError('denied', 'aws-east') },
    { kind: 'invalidRequest', error: new InvalidRequestError('bad zone', 'aws-east') },
    { kind: 'an unclassified error', error: new Error('bug') },
  ])('never retries $kind', async ({ error }) => {
    const calls = script(error);
    const timing = fakeTiming();
    await expect(withRetry(policy, timing, calls.call)).rejects.toBe(error);
    expect(calls.attempts()).toBe(1);
    expect(timing.slept).toEqual([]);
  });

  it('makes one attempt only when the policy says maxAttempts 1', async () => {
    const calls = script(new ThrottledError('slow down', 'a'));
    await expect(withRetry({ ...policy, maxAttempts: 1 }, fakeTiming(), calls.call)).rejects.toBeInstanceOf(ThrottledError);
    expect(calls.attempts()).toBe(1);
  });
});

describe('retryDelayMs', () => {
  const transient = new TransientError('HTTP 500', 'a');

  it('draws full jitter under a ceiling that doubles from 200 ms', () => {
    expect([1, 2, 3].map((retry) => retryDelayMs(policy, retry, transient, () => 0))).toEqual([0, 0, 0]);
    expect([1, 2, 3].map((retry) => retryDelayMs(policy, retry, transient, () => 0.999_999))).toEqual([199, 399, 799]);
    expect(retryDelayMs(policy, 2, transient, () => 0.5)).toBe(200);
  });

  it('never draws above the 5 s cap however many retries a policy allows', () => {
    const long = { ...policy, maxAttempts: 20 };
    for (let retry = 1; retry < 20; retry++) {
      const delay = retryDelayMs(long, retry, transient, () => 0.999_999);
      expect(delay).toBeLessThan(5_000);
      expect(delay).toBeGreaterThanOrEqual(Math.min(5_000, 200 * 2 ** (retry - 1)) - 1);
    }
  });

  it('waits at least as long as a throttled answer asked', () => {
    const throttled = new ThrottledError('slow down', 'a', 1_500);
    expect(retryDelayMs(policy, 1, throttled, () => 0.5)).toBe(1_500);
    expect(retryDelayMs(policy, 3, new ThrottledError('slow down', 'a', 100), () => 0.5)).toBe(400);
  });

  it('hands a wait longer than the cap to the caller instead of sleeping through it', () => {
    expect(retryDelayMs(policy, 1, new ThrottledError('slow down', 'a', 30_000), () => 0.5)).toBeUndefined();
  });

  it('stops once the attempts are used up', () => {
    expect(retryDelayMs(policy, 4, transient, () => 0.5)).toBeUndefined();
  });
});
