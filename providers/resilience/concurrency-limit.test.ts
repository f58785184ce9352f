import { describe, expect, it } from '@jest/globals';
import { ConcurrencyLimit } from './concurrency-limit.js';

interface Gate {
  readonly opened: Promise<void>;
  open(): void;
}

function gate(): Gate {
  let open = (): void => undefined;
  const opened = new Promise<void>((resolve) => {
    open = resolve;
  });
  return { opened, open };
}

/** Lets every pending promise callback run. */
const settle = () => new Promise<void>((resolve) => setImmediate(resolve));

describe('ConcurrencyLimit', () => {
  it('holds 100 concurrent calls to 16 in flight and starts the waiting ones in arrival order', async () => {
    const limit = new ConcurrencyLimit(16);
    const gates = Array.from({ length: 100 }, gate);
    const started: number[] = [];
    let inFlight = 0;
    let most = 0;
    const calls = gates.map((g, i) =>
      limit.run(async () => {
        started.push(i);
        inFlight++;
        most = Math.max(most, inFlight);
        await g.opened;
        inFlight--;
        return i;
      }),
    );
    await settle();
    expect(started).toEqual(Array.from({ length: 16 }, (_, i) => i));
    expect(limit.queued).toBe(84);
    // Finish them out of order: the next to start is always the longest waiting.
    for (const i of [5, 0, 15, ...Array.from({ length: 100 }, (_, k) => k).filter((k) => ![5, 0, 15].includes(k))]) {
      gates[i]?.open();
      await settle();
    }
    await expect(Promise.all(calls)).resolves.toEqual(Array.from({ length: 100 }, (_, i) => i));
    expect(most).toBe(16);
    expect(started).toEqual(Array.from({ length: 100 }, (_, i) => i));
    expect(limit.queued).toBe(0);
  });

  it('frees the slot of a call that failed', async () => {
    const limit = new ConcurrencyLimit(1);
    await expect(limit.run(() => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    await expect(limit.run(() => Promise.resolve('next'))).resolves.toBe('next');
  });

  it('refuses a limit below 1, naming it', () => {
    expect(() => new ConcurrencyLimit(0)).toThrow('a concurrency limit must be a whole number of at least 1, not 0');
  });
});
