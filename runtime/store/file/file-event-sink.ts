import type { EventInput, EventRegarding, EventSink, StoredEvent } from '../../events/types.js';
import { cloneJson } from './json-value.js';
import type { StateFile } from './state-file.js';

/** As the Kubernetes event sink cuts notes: an event is a pointer for a human, not a log. */
const MAX_MESSAGE_LENGTH = 1024;

/**
 * Events kept in the state file, so `polyfleet describe` shows them across restarts and from
 * another process. A repeat of the same (object, type, reason, message) raises the kept row's
 * count and lastTimestamp instead of adding one; each namespace keeps the newest rows only.
 */
export class FileEventSink implements EventSink {
  constructor(private readonly file: StateFile) {}

  async write(regarding: EventRegarding, event: EventInput, at: Date): Promise<void> {
    const input = { ...event, message: event.message.slice(0, MAX_MESSAGE_LENGTH) };
    const timestamp = at.toISOString();
    await this.file.commit((state) => {
      const existing = state.events.find(regarding, input);
      const row: StoredEvent =
        existing === undefined
          ? { ...input, regarding: { ...regarding }, count: 1, firstTimestamp: timestamp, lastTimestamp: timestamp }
          : { ...existing, action: input.action, count: existing.count + 1, lastTimestamp: timestamp };
      return { ops: [{ op: 'event', event: row }], result: undefined };
    });
  }

  list(regarding: Omit<EventRegarding, 'uid'>): Promise<StoredEvent[]> {
    return Promise.resolve(this.file.state.events.list(regarding).map((e) => cloneJson(e)));
  }
}
