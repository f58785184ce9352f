import { describe, expect, it } from '@jest/globals';
import { ThrottledError } from '../errors.js';
import { RateLimitGate, rateLimitFromHeaders } from './rate-limit.js';
import type { RateLimitTiming } from './rate-limit.js';

const START = 1_800_000_000_000;

function manualTiming(): RateLimitTiming & { slept: number[] } {
  let now = START;
  const slept: number[] = [];
  return {
    slept,
    nowMs: () => now,
    sleep: (ms) => {
      slept.push(ms);
      now += ms;
      return Promise.resolve();
    },
  };
}

const headers = (remaining: number, resetInMs: number): Record<string, string> => ({
  'ratelimit-limit': '5000',
  'ratelimit-remaining': String(remaining),
  'ratelimit-reset': String((START + resetInMs) / 1000),
});

describe('RateLimitGate', () => {
  it('lets calls through while the budget lasts', async () => {
    const timing = manualTiming();
    const gate = new RateLimitGate('do', timing, 10_000);
    gate.observe(headers(1, 60_000));
    await gate.beforeCall('list');
    expect(timing.slept).toEqual([]);
  });

  it('waits until the reset once the budget is spent, then lets calls through', async () => {
    const timing = manualTiming();
    const gate = new RateLimitGate('do', timing, 10_000);
    gate.observe(headers(0, 4_000));
    await gate.beforeCall('list');
    expect(timing.slept).toEqual([4_000]);
    gate.observe(headers(3, 60_000));
    await gate.beforeCall('get');
    expect(timing.slept).toEqual([4_000]);
  });

  it('fails Throttled with the wait instead of waiting longer than its bound', async () => {
    const timing = manualTiming();
    const gate = new RateLimitGate('do-east', timing, 10_000);
    gate.observe(headers(0, 3_600_000));
    const error = await gate.beforeCall('create').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ThrottledError);
    expect(error).toMatchObject({ retryAfterMs: 3_600_000, account: 'do-east' });
    expect(timing.slept).toEqual([]);
  });

  it('does not wait for a reset already past, nor on answers without rate-limit headers', async () => {
    const timing = manualTiming();
    const gate = new RateLimitGate('do', timing, 10_000);
    gate.observe(headers(0, -1_000));
    await gate.beforeCall('list');
    gate.observe({});
    gate.observe(undefined);
    await gate.beforeCall('list');
    expect(timing.slept).toEqual([]);
  });

  it('reads the headers as axios hands them, numbers or strings', () => {
    expect(rateLimitFromHeaders({ 'ratelimit-limit': 5000, 'ratelimit-remaining': '0', 'ratelimit-reset': '1800000060' })).toEqual({ limit: 5000, remaining: 0, resetAtMs: 1_800_000_060_000 });
    expect(rateLimitFromHeaders({ 'ratelimit-remaining': 'soon' })).toEqual({});
  });
});
