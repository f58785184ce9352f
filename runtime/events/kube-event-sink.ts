import { randomBytes } from 'node:crypto';
import { EventGoneError, type EventsClient } from './events-client.js';
import type { EventInput, EventRegarding, EventSink, StoredEvent } from './types.js';

/** `reportingController` of every Event polyfleet writes. */
export const REPORTING_CONTROLLER = 'polyfleet.io/controller';

/** The API server's limits: note 1 kB, reason and action 128 characters. */
const NOTE_LIMIT_BYTES = 1024;
const FIELD_LIMIT = 128;

export interface KubeEventSinkOptions {
  readonly client: EventsClient;
  /** Which process wrote the Events, e.g. the leader election identity. */
  readonly reportingInstance: string;
  /** Events remembered so their repeats raise a count. Default 4096. */
  readonly maxRemembered?: number;
}

/** An Event this process wrote, and the tail of the writes to it, so repeats update it one after another. */
interface Remembered {
  name: string;
  count: number;
  tail: Promise<void>;
}

/**
 * EventSink on events.k8s.io/v1 Events. The first occurrence creates an Event; a repeat of the
 * same (object, type, reason, message) raises the `series` count and time of that Event instead
 * of creating another, found through a bounded in-memory index (a restarted process starts new
 * Events, as client-go's recorder does).
 */
export class KubeEventSink implements EventSink {
  private readonly remembered = new Map<string, Remembered>();
  private readonly maxRemembered: number;

  constructor(private readonly options: KubeEventSinkOptions) {
    this.maxRemembered = options.maxRemembered ?? 4096;
  }

  write(regarding: EventRegarding, event: EventInput, at: Date): Promise<void> {
    const note = cutToBytes(event.message, NOTE_LIMIT_BYTES);
    const key = JSON.stringify([regarding.kind, regarding.namespace, regarding.name, regarding.uid ?? '', event.type, event.reason, note]);
    const known = this.remembered.get(key);
    const entry = known ?? { name: '', count: 0, tail: Promise.resolve() };
    this.remember(key, entry);
    const written = entry.tail.then(() => this.writeOne(entry, regarding, { ...event, message: note }, at));
    entry.tail = written.catch(() => undefined);
    return written;
  }

  async list(regarding: Omit<EventRegarding, 'uid'>): Promise<StoredEvent[]> {
    const events = await this.options.client.list(regarding);
    return events.sort((a, b) => a.firstTimestamp.localeCompare(b.firstTimestamp));
  }

  private async writeOne(entry: Remembered, regarding: EventRegarding, event: EventInput, at: Date): Promise<void> {
    if (entry.count > 0) {
      try {
        await this.options.client.updateSeries(regarding.namespace, entry.name, { count: entry.count + 1, lastObservedTime: at });
        entry.count++;
        return;
      } catch (error) {
        if (!(error instanceof EventGoneError)) throw error;
      }
    }
    const name = eventName(regarding.name, at);
    await this.options.client.create({
      name,
      regarding,
      type: event.type,
      reason: event.reason.slice(0, FIELD_LIMIT),
      action: event.action.slice(0, FIELD_LIMIT),
      note: event.message,
      eventTime: at,
      reportingController: REPORTING_CONTROLLER,
      reportingInstance: this.options.reportingInstance.slice(0, FIELD_LIMIT),
    });
    entry.name = name;
    entry.count = 1;
  }

  /** Most recently used last; the least recently used goes when the index is full. */
  private remember(key: string, entry: Remembered): void {
    this.remembered.delete(key);
    this.remembered.set(key, entry);
    if (this.remembered.size <= this.maxRemembered) return;
    const oldest = this.remembered.keys().next();
    if (oldest.done !== true) this.remembered.delete(oldest.value);
  }
}

/** client-go's `<object>.<hex time>`, plus randomness so two Events in one millisecond do not collide. */
function eventName(objectName: string, at: Date): string {
  const suffix = `.${at.getTime().toString(16)}${randomBytes(3).toString('hex')}`;
  return `${objectName.slice(0, 253 - suffix.length)}${suffix}`;
}

/** `text` cut to at most `limit` bytes of UTF-8, never in the middle of a character. */
export function cutToBytes(text: string, limit: number): string {
  const bytes = new TextEncoder().encode(text);
  if (bytes.length <= limit) return text;
  return new TextDecoder().decode(bytes.slice(0, limit)).replace(/\uFFFD$/, '');
}
