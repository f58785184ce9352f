/** Time, injected, so tests advance it instead of sleeping. */
export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

/** RFC 3339 at second precision, the form metav1.Time takes. */
export function rfc3339Seconds(d: Date): string {
  return `${d.toISOString().slice(0, 19)}Z`;
}

/** Cancels a timer; calling it after the timer fired, or twice, does nothing. */
export type CancelTimer = () => void;

/** Timers, injected beside the Clock, so a test's fake clock fires them as it advances instead of waiting. */
export interface Timers {
  /** Calls `callback` once, `delayMs` from now. */
  setTimeout(callback: () => void, delayMs: number): CancelTimer;
}

/** Node fires a timer longer than 2^31-1 ms (24.8 days) after 1 ms instead; clamped, it fires early, never at once. */
const MAX_TIMER_MS = 2 ** 31 - 1;

export const systemTimers: Timers = {
  setTimeout(callback, delayMs) {
    const timer = setTimeout(callback, Math.min(Math.max(0, delayMs), MAX_TIMER_MS));
    return () => {
      clearTimeout(timer);
    };
  },
};
