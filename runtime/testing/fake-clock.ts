import type { CancelTimer, Clock, Timers } from '../clock.js';

interface PendingTimer {
  readonly at: number;
  readonly seq: number;
  readonly callback: () => void;
}

/**
 * A Clock and Timers that move only when a test says so: `advance(ms)` fires every timer that
 * falls due, in due order, each at its own instant, so code under test sees time pass exactly.
 */
export class FakeClock implements Clock, Timers {
  private nowMs: number;
  private seq = 0;
  private readonly pending = new Map<number, PendingTimer>();

  constructor(start: Date | number = Date.UTC(2025, 0, 1)) {
    this.nowMs = typeof start === 'number' ? start : start.getTime();
  }

  now(): Date {
    return new Date(this.nowMs);
  }

  setTimeout(callback: () => void, delayMs: number): CancelTimer {
    const seq = this.seq++;
    this.pending.set(seq, { at: this.nowMs + Math.max(0, delayMs), seq, callback });
    return () => {
      this.pending.delete(seq);
    };
  }

  /** Moves time forward by `ms`, firing due timers (also ones they schedule) in order. */
  advance(ms: number): void {
    const target = this.nowMs + ms;
    for (let next = this.nextDue(target); next !== undefined; next = this.nextDue(target)) {
      this.pending.delete(next.seq);
      this.nowMs = next.at;
      next.callback();
    }
    this.nowMs = target;
  }

  /** How many timers wait to fire. */
  pendingTimers(): number {
    return this.pending.size;
  }

  /** Milliseconds until the next timer fires, or undefined if none waits. */
  nextTimerInMs(): number | undefined {
    const next = this.nextDue(Number.POSITIVE_INFINITY);
    return next === undefined ? undefined : next.at - this.nowMs;
  }

  private nextDue(until: number): PendingTimer | undefined {
    let best: PendingTimer | undefined;
    for (const timer of this.pending.values()) {
      if (timer.at > until) continue;
      if (best === undefined || timer.at < best.at || (timer.at === best.at && timer.seq < best.seq)) best = timer;
    }
    return best;
  }
}
