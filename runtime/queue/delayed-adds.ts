import type { CancelTimer, Clock, Timers } from '../clock.js';

interface Waiting {
  readonly readyAtMs: number;
  readonly cancel: CancelTimer;
}

/**
 * Items waiting to be added later, at most one timer per item: a second, later request for an
 * item already waiting is dropped and an earlier one replaces it, as client-go's delaying queue does.
 */
export class DelayedAdds {
  private readonly waiting = new Map<string, Waiting>();

  constructor(
    private readonly clock: Clock,
    private readonly timers: Timers,
    private readonly add: (item: string) => void,
  ) {}

  schedule(item: string, delayMs: number): void {
    const readyAtMs = this.clock.now().getTime() + delayMs;
    const existing = this.waiting.get(item);
    if (existing !== undefined && existing.readyAtMs <= readyAtMs) return;
    existing?.cancel();
    const cancel = this.timers.setTimeout(() => {
      this.waiting.delete(item);
      this.add(item);
    }, delayMs);
    this.waiting.set(item, { readyAtMs, cancel });
  }

  size(): number {
    return this.waiting.size;
  }

  cancelAll(): void {
    for (const { cancel } of this.waiting.values()) cancel();
    this.waiting.clear();
  }
}
