import type { EventInput, EventRegarding, StoredEvent } from '../../events/types.js';

/**
 * The kept events, newest last per namespace, at most `perNamespace` of them: a repeat moves its
 * row to the end, and the row written longest ago goes first. Every process applies the same
 * writes in the same order, so every process keeps the same rows.
 */
export class EventIndex {
  private readonly namespaces = new Map<string, Map<string, StoredEvent>>();

  constructor(readonly perNamespace: number) {}

  find(regarding: EventRegarding, event: Pick<EventInput, 'type' | 'reason' | 'message'>): StoredEvent | undefined {
    return this.namespaces.get(regarding.namespace)?.get(aggregateKey(regarding, event));
  }

  upsert(event: StoredEvent): void {
    let rows = this.namespaces.get(event.regarding.namespace);
    if (rows === undefined) {
      rows = new Map();
      this.namespaces.set(event.regarding.namespace, rows);
    }
    const key = aggregateKey(event.regarding, event);
    rows.delete(key);
    rows.set(key, event);
    for (const oldest of rows.keys()) {
      if (rows.size <= this.perNamespace) break;
      rows.delete(oldest);
    }
  }

  /** Events about one object, oldest first. */
  list(regarding: Omit<EventRegarding, 'uid'>): StoredEvent[] {
    const rows = this.namespaces.get(regarding.namespace)?.values() ?? [];
    return [...rows]
      .filter((e) => e.regarding.kind === regarding.kind && e.regarding.name === regarding.name)
      .sort((a, b) => (a.firstTimestamp < b.firstTimestamp ? -1 : a.firstTimestamp > b.firstTimestamp ? 1 : 0));
  }

  /** Every row in write order, which a snapshot must keep so eviction stays the same after a reload. */
  all(): StoredEvent[] {
    return [...this.namespaces.values()].flatMap((rows) => [...rows.values()]);
  }
}

/** Repeats of one (object, type, reason, message) are one row. */
function aggregateKey(regarding: EventRegarding, event: Pick<EventInput, 'type' | 'reason' | 'message'>): string {
  return JSON.stringify([regarding.kind, regarding.name, regarding.uid ?? '', event.type, event.reason, event.message]);
}
