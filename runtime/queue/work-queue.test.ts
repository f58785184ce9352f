import { describe, expect, it } from '@jest/globals';
import { FakeClock } from '../testing/fake-clock.js';
import { ItemExponentialFailureRateLimiter } from './rate-limiter.js';
import type { QueueMetrics } from './queue-metrics.js';
import { WorkQueue } from './work-queue.js';

function queueOnFakeClock(metrics?: QueueMetrics) {
  const clock = new FakeClock();
  const queue = new WorkQueue({ clock, timers: clock, rateLimiter: new ItemExponentialFailureRateLimiter(), ...(metrics ? { metrics } : {}) });
  return { clock, queue };
}

/** Resolves with what a pending promise settled to, or 'pending' if it has not yet. */
async function peek<T>(promise: Promise<T>): Promise<T | 'pending'> {
  return Promise.race([promise, new Promise<'pending'>((resolve) => setImmediate(() => {
      resolve('pending');
    }))]);
}

describe('WorkQueue', () => {
  it('hands out a key added many times once, in first-added order', async () => {
    const { queue } = queueOnFakeClock();
    for (const key of ['a', 'b', 'a', 'a', 'c', 'b']) queue.add(key);
    expect(queue.len()).toBe(3);
    expect([await queue.get(), await queue.get(), await queue.get()]).toEqual(['a', 'b', 'c']);
  });

  it('does not hand out a key being processed; one re-added meanwhile comes back exactly once after done', async () => {
    const { queue } = queueOnFakeClock();
    queue.add('a');
    expect(await queue.get()).toBe('a');
    queue.add('a');
    queue.add('a');
    expect(queue.len()).toBe(0);
    const next = queue.get();
    expect(await peek(next)).toBe('pending');
    queue.done('a');
    expect(await next).toBe('a');
    queue.done('a');
    expect(queue.len()).toBe(0);
    expect(await peek(queue.get())).toBe('pending');
  });

  it('wakes a waiting get when a key arrives', async () => {
    const { queue } = queueOnFakeClock();
    const waiting = queue.get();
    queue.add('a');
    expect(await waiting).toBe('a');
  });

  it('adds after a delay on the injected timers; the earliest pending delay of a key wins', async () => {
    const { clock, queue } = queueOnFakeClock();
    queue.addAfter('a', 1_000);
    queue.addAfter('a', 5_000);
    queue.addAfter('b', 2_000);
    queue.addAfter('b', 500);
    expect(queue.delayedCount()).toBe(2);
    clock.advance(499);
    expect(queue.len()).toBe(0);
    clock.advance(1);
    expect(await queue.get()).toBe('b');
    clock.advance(500);
    expect(await queue.get()).toBe('a');
    clock.advance(10_000);
    expect(queue.len()).toBe(0);
    expect(clock.pendingTimers()).toBe(0);
  });

  it('adds at once for a delay of zero or less', async () => {
    const { queue } = queueOnFakeClock();
    queue.addAfter('a', 0);
    queue.addAfter('b', -5);
    expect([await queue.get(), await queue.get()]).toEqual(['a', 'b']);
  });

  it('backs a failing key off 5, 10, 20 ms and starts over after forget', async () => {
    const { clock, queue } = queueOnFakeClock();
    const retryDelays: number[] = [];
    for (let attempt = 0; attempt < 3; attempt++) {
      queue.addRateLimited('a');
      retryDelays.push(clock.nextTimerInMs() ?? -1);
      clock.advance(clock.nextTimerInMs() ?? 0);
      queue.done((await queue.get()) ?? '');
    }
    expect(retryDelays).toEqual([5, 10, 20]);
    expect(queue.numRequeues('a')).toBe(3);
    queue.forget('a');
    queue.addRateLimited('a');
    expect(clock.nextTimerInMs()).toBe(5);
  });

  it('on shutDown resolves waiting gets with undefined, drops delayed keys, and takes nothing more', async () => {
    const { clock, queue } = queueOnFakeClock();
    const waiting = queue.get();
    queue.addAfter('later', 1_000);
    queue.shutDown();
    expect(await waiting).toBeUndefined();
    expect(clock.pendingTimers()).toBe(0);
    queue.add('a');
    queue.addRateLimited('b');
    expect(await queue.get()).toBeUndefined();
    expect(queue.len()).toBe(0);
  });

  it('stops handing out queued keys at shutDown: they are level-triggered and re-listed by the next process', async () => {
    const { queue } = queueOnFakeClock();
    queue.add('a');
    queue.add('b');
    queue.shutDown();
    expect(await queue.get()).toBeUndefined();
  });

  it('drained resolves once every handed-out key is done', async () => {
    const { queue } = queueOnFakeClock();
    queue.add('a');
    queue.add('b');
    await queue.get();
    await queue.get();
    queue.shutDown();
    const drained = queue.drained();
    queue.done('a');
    expect(await peek(drained)).toBe('pending');
    queue.done('b');
    await drained;
    expect(queue.processing()).toBe(0);
  });

  it('reports adds, depth, waits, work and retries to its metrics', async () => {
    const seen = { added: 0, retried: 0, depth: [] as number[], waited: [] as number[], worked: [] as number[] };
    const { clock, queue } = queueOnFakeClock({
      added: () => {
        seen.added++;
      },
      retried: () => {
        seen.retried++;
      },
      depth: (n) => {
        seen.depth.push(n);
      },
      waited: (s) => {
        seen.waited.push(s);
      },
      worked: (s) => {
        seen.worked.push(s);
      },
    });
    queue.add('a');
    queue.add('a');
    clock.advance(250);
    await queue.get();
    clock.advance(1_500);
    queue.done('a');
    queue.addRateLimited('a');
    expect(seen).toEqual({ added: 1, retried: 1, depth: [1, 0], waited: [0.25], worked: [1.5] });
  });
});
