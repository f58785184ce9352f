import { createHash } from 'node:crypto';
import type { Namespace } from 'etcd3';
import type { EventInput, EventRegarding, EventSink, StoredEvent } from '../../events/types.js';
import { describeEtcdFailure } from './etcd-connection.js';
import { eventsOfPrefix } from './etcd-keys.js';

/** As the Kubernetes event sink cuts notes: an event is a pointer for a human, not a log. */
const MAX_MESSAGE_LENGTH = 1024;
/** The API server's default --event-ttl: an event goes an hour after its last repeat. */
export const EVENT_TTL_SECONDS = 3600;
const MAX_ATTEMPTS = 5;

/**
 * Events in etcd, one key per (object, type, reason, message) under the object's events prefix, so
 * `polyfleet describe` shows them from any process. A repeat raises the key's count and
 * lastTimestamp (a compare-and-swap on the key); each key lives on a lease of an hour.
 */
export class EtcdEventSink implements EventSink {
  constructor(private readonly ns: Namespace, private readonly endpoints: readonly string[]) {}

  async write(regarding: EventRegarding, event: EventInput, at: Date): Promise<void> {
    const input = { ...event, message: event.message.slice(0, MAX_MESSAGE_LENGTH) };
    const key = eventKey(regarding, input);
    const timestamp = at.toISOString();
    try {
      for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
        const found = await this.ns.get(key).exec();
        const kv = found.kvs[0];
        const existing = kv === undefined ? undefined : (JSON.parse(kv.value.toString()) as StoredEvent);
        const row: StoredEvent =
          existing === undefined
            ? { ...input, regarding: { ...regarding }, count: 1, firstTimestamp: timestamp, lastTimestamp: timestamp }
            : { ...existing, action: input.action, count: existing.count + 1, lastTimestamp: timestamp };
        const lease = this.ns.lease(EVENT_TTL_SECONDS, { autoKeepAlive: false });
        const put = this.ns.put(key).value(JSON.stringify(row)).lease(lease.grant());
        const written = await (kv === undefined ? this.ns.if(key, 'Create', '==', 0) : this.ns.if(key, 'Mod', '==', kv.mod_revision)).then(put).commit();
        lease.release();
        if (written.succeeded) return;
      }
    } catch (e) {
      throw describeEtcdFailure(this.endpoints, `recording an event under ${key}`, e);
    }
    throw describeEtcdFailure(this.endpoints, `recording an event under ${key}`, new Error(`the key kept changing over ${String(MAX_ATTEMPTS)} attempts`));
  }

  async list(regarding: Omit<EventRegarding, 'uid'>): Promise<StoredEvent[]> {
    const prefix = eventsOfPrefix(regarding.kind, regarding.namespace, regarding.name);
    let values: Record<string, string>;
    try {
      values = await this.ns.getAll().prefix(prefix).strings();
    } catch (e) {
      throw describeEtcdFailure(this.endpoints, `listing events under ${prefix}`, e);
    }
    const events = Object.values(values).map((v) => JSON.parse(v) as StoredEvent);
    return events.sort((a, b) => (a.firstTimestamp < b.firstTimestamp ? -1 : a.firstTimestamp > b.firstTimestamp ? 1 : 0));
  }
}

/** One key per (object, type, reason, message): a repeat lands on it. */
export function eventKey(regarding: EventRegarding, event: EventInput): string {
  const digest = createHash('sha256').update(JSON.stringify([event.type, event.reason, event.message])).digest('hex').slice(0, 24);
  return `${eventsOfPrefix(regarding.kind, regarding.namespace, regarding.name)}${digest}`;
}
