import type { Logger } from 'pino';
import { systemClock, type Clock } from '../clock.js';
import { hash53 } from '../hash53.js';
import type { EventInput, EventRecorder, EventRegarding, EventSink } from './types.js';

export interface DedupingRecorderOptions {
  readonly sink: EventSink;
  readonly logger: Logger;
  readonly clock?: Clock;
  /** A repeat within this long of the last one that was written is dropped. Default 2 min. */
  readonly windowMs?: number;
  /** Repeats remembered at most; the oldest are forgotten first. Default 10,000. */
  readonly maxRemembered?: number;
}

/**
 * The EventRecorder controllers hold. Like Karpenter's, it drops a repeat of the same (object,
 * reason, message) within two minutes before it reaches the sink, so a reconcile failing in a
 * loop writes one Event, not one per retry. It never throws and never waits: a failing sink is
 * logged.
 */
export class DedupingRecorder implements EventRecorder {
  /**
   * When each (object, reason, message) was last written, by a hash of the three: a message can be
   * long, and 10,000 Machines' last Events were 3 MB as text. A collision drops one Event that
   * repeats another's hash within the window.
   */
  private readonly lastWritten = new Map<number, number>();
  private readonly clock: Clock;
  private readonly windowMs: number;
  private readonly maxRemembered: number;

  constructor(private readonly options: DedupingRecorderOptions) {
    this.clock = options.clock ?? systemClock;
    this.windowMs = options.windowMs ?? 120_000;
    this.maxRemembered = options.maxRemembered ?? 10_000;
  }

  record(regarding: EventRegarding, event: EventInput): void {
    try {
      const now = this.clock.now();
      const key = hash53(JSON.stringify([regarding.uid ?? `${regarding.kind}/${regarding.namespace}/${regarding.name}`, event.reason, event.message]));
      const last = this.lastWritten.get(key);
      if (last !== undefined && now.getTime() - last < this.windowMs) return;
      this.lastWritten.delete(key);
      this.lastWritten.set(key, now.getTime());
      this.forgetOld(now.getTime());
      this.options.sink.write(regarding, event, now).catch((err: unknown) => {
        this.logFailure(err, regarding, event);
      });
    } catch (err) {
      this.logFailure(err, regarding, event);
    }
  }

  /** Entries are in the order they were last written, so the expired ones are at the front. */
  private forgetOld(now: number): void {
    for (const [key, at] of this.lastWritten) {
      if (now - at < this.windowMs && this.lastWritten.size <= this.maxRemembered) return;
      this.lastWritten.delete(key);
    }
  }

  private logFailure(err: unknown, regarding: EventRegarding, event: EventInput): void {
    this.options.logger.warn(
      { err, kind: regarding.kind, namespace: regarding.namespace, name: regarding.name, reason: event.reason },
      'could not record an event',
    );
  }
}
