/** Resolves after `ms`; for commands that poll another process's progress, never for tests to time things. */
export function pause(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

export interface PollOptions {
  readonly timeoutMs: number;
  readonly intervalMs?: number;
  /** Ends the wait early (a signal); the poll then resolves with `undefined`. */
  readonly signal?: AbortSignal;
}

/**
 * Calls `check` until it returns something other than undefined, or the timeout passes (then
 * resolves undefined). Each check runs after the previous one finished, so checks never overlap.
 */
export async function pollUntil<T>(check: () => Promise<T | undefined>, options: PollOptions): Promise<T | undefined> {
  const deadline = Date.now() + options.timeoutMs;
  for (;;) {
    const result = await check();
    if (result !== undefined) return result;
    if (Date.now() >= deadline || options.signal?.aborted === true) return undefined;
    await pause(Math.min(options.intervalMs ?? 250, Math.max(0, deadline - Date.now())));
  }
}
