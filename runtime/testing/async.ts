export { deferred, type Deferred } from '../deferred.js';

/** Lets every pending promise callback and I/O callback run once. */
export function settle(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/**
 * Polls `condition` between turns of the event loop until it holds; fails after `deadlineMs`
 * of real time, which only bounds a broken test, never decides a passing one.
 */
export async function eventually(condition: () => boolean, what: string, deadlineMs = 5_000): Promise<void> {
  const started = Date.now();
  while (!condition()) {
    if (Date.now() - started > deadlineMs) throw new Error(`timed out after ${deadlineMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 1));
  }
}
