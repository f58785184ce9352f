import type { CancelTimer, Clock, Timers } from '../clock.js';

interface Due {
  readonly atMs: number;
  readonly item: string;
}

/**
 * Items waiting to be added later, as client-go's delaying queue keeps them: at most one wait per
 * item (a second, later request for an item already waiting is dropped; an earlier one replaces
 * it), in a min-heap by due time behind one timer, armed for the earliest. A timer per item cost
 * ~400 bytes each: 10,000 Running Machines each waiting for its next look held 4 MB of timers.
 */
export class DelayedAdds {
  /** Each waiting item's due time; the heap may also hold older, replaced entries, skipped when reached. */
  private readonly waiting = new Map<string, number>();
  private readonly heap: Due[] = [];
  private armed: { readonly atMs: number; readonly cancel: CancelTimer } | undefined;

  constructor(
    private readonly clock: Clock,
    private readonly timers: Timers,
    private readonly add: (item: string) => void,
  ) {}

  schedule(item: string, delayMs: number): void {
    const atMs = this.clock.now().getTime() + Math.max(0, delayMs);
    const existing = this.waiting.get(item);
    if (existing !== undefined && existing <= atMs) return;
    this.waiting.set(item, atMs);
    this.push({ atMs, item });
    this.arm();
  }

  size(): number {
    return this.waiting.size;
  }

  cancelAll(): void {
    this.armed?.cancel();
    this.armed = undefined;
    this.waiting.clear();
    this.heap.length = 0;
  }

  /** The timer for the earliest entry: kept if it fires no later, else replaced. */
  private arm(): void {
    const next = this.heap[0];
    if (next === undefined) return;
    if (this.armed !== undefined && this.armed.atMs <= next.atMs) return;
    this.armed?.cancel();
    const atMs = next.atMs;
    const cancel = this.timers.setTimeout(() => {
      this.armed = undefined;
      this.fire(atMs);
    }, atMs - this.clock.now().getTime());
    this.armed = { atMs, cancel };
  }

  /** The timer for `atMs` fired: everything due by then is added (the timer's word, not the clock's, decides). */
  private fire(atMs: number): void {
    for (let top = this.heap[0]; top !== undefined && top.atMs <= atMs; top = this.heap[0]) {
      this.pop();
      if (this.waiting.get(top.item) !== top.atMs) continue;
      this.waiting.delete(top.item);
      this.add(top.item);
    }
    this.arm();
  }

  private push(due: Due): void {
    const heap = this.heap;
    let i = heap.push(due) - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      const above = heap[parent];
      if (above === undefined || above.atMs <= due.atMs) break;
      heap[i] = above;
      i = parent;
    }
    heap[i] = due;
  }

  private pop(): void {
    const heap = this.heap;
    const last = heap.pop();
    if (last === undefined || heap.length === 0) return;
    let i = 0;
    for (;;) {
      const left = 2 * i + 1;
      if (left >= heap.length) break;
      const right = left + 1;
      const l = heap[left];
      const r = heap[right];
      if (l === undefined) break;
      const child = r !== undefined && r.atMs < l.atMs ? right : left;
      const smaller = heap[child];
      if (smaller === undefined || smaller.atMs >= last.atMs) break;
      heap[i] = smaller;
      i = child;
    }
    heap[i] = last;
  }
}
