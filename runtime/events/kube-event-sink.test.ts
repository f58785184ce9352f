import { describe, expect, it } from '@jest/globals';
import { EventGoneError, type EventsClient, type NewEvent } from './events-client.js';
import { cutToBytes, KubeEventSink, REPORTING_CONTROLLER } from './kube-event-sink.js';
import type { EventInput, EventRegarding, StoredEvent } from './types.js';

/** Events in memory, as the API server keeps them; `expire` removes them as the TTL would. */
class FakeEvents implements EventsClient {
  readonly events = new Map<string, NewEvent & { count: number; last: Date }>();

  create(event: NewEvent): Promise<void> {
    this.events.set(event.name, { ...event, count: 1, last: event.eventTime });
    return Promise.resolve();
  }

  updateSeries(namespace: string, name: string, series: { count: number; lastObservedTime: Date }): Promise<void> {
    const event = this.events.get(name);
    if (!event) return Promise.reject(new EventGoneError(namespace, name));
    event.count = series.count;
    event.last = series.lastObservedTime;
    return Promise.resolve();
  }

  list(): Promise<StoredEvent[]> {
    return Promise.resolve(
      [...this.events.values()].map((e) => ({
        regarding: e.regarding,
        type: e.type,
        reason: e.reason,
        action: e.action,
        message: e.note,
        count: e.count,
        firstTimestamp: e.eventTime.toISOString(),
        lastTimestamp: e.last.toISOString(),
      })),
    );
  }

  expire(): void {
    this.events.clear();
  }
}

const pool: EventRegarding = { kind: 'NodePool', namespace: 'ns', name: 'workers', uid: 'u1' };
const failed: EventInput = { type: 'Warning', reason: 'LaunchFailed', action: 'Create', message: 'no capacity' };
const at = (s: number) => new Date(Date.UTC(2025, 0, 1, 0, 0, s));

describe('KubeEventSink', () => {
  it('creates one Event and counts its repeats in it', async () => {
    const client = new FakeEvents();
    const sink = new KubeEventSink({ client, reportingInstance: 'host_1_abcd' });
    await Promise.all(Array.from({ length: 20 }, (_, i) => sink.write(pool, failed, at(i))));
    const [event, ...others] = [...client.events.values()];
    expect(others).toEqual([]);
    expect(event).toMatchObject({ count: 20, last: at(19), eventTime: at(0), reportingController: REPORTING_CONTROLLER, reportingInstance: 'host_1_abcd' });
    expect(event?.name).toMatch(/^workers\.[0-9a-f]+$/);
  });

  it('keeps different messages, reasons and types apart', async () => {
    const client = new FakeEvents();
    const sink = new KubeEventSink({ client, reportingInstance: 'i' });
    await sink.write(pool, failed, at(0));
    await sink.write(pool, { ...failed, message: 'other' }, at(1));
    await sink.write(pool, { ...failed, type: 'Normal' }, at(2));
    await sink.write({ ...pool, uid: 'u2' }, failed, at(3));
    expect(client.events.size).toBe(4);
  });

  it('starts a new Event when the one it counted in has expired', async () => {
    const client = new FakeEvents();
    const sink = new KubeEventSink({ client, reportingInstance: 'i' });
    await sink.write(pool, failed, at(0));
    await sink.write(pool, failed, at(1));
    client.expire();
    await sink.write(pool, failed, at(2));
    expect([...client.events.values()].map((e) => e.count)).toEqual([1]);
  });

  it('lists oldest first', async () => {
    const client = new FakeEvents();
    const sink = new KubeEventSink({ client, reportingInstance: 'i' });
    await sink.write(pool, { ...failed, message: 'later' }, at(5));
    await sink.write(pool, { ...failed, message: 'earlier' }, at(1));
    expect((await sink.list(pool)).map((e) => e.message)).toEqual(['earlier', 'later']);
  });

  it('cuts the note at 1 kB without splitting a character', async () => {
    const client = new FakeEvents();
    const sink = new KubeEventSink({ client, reportingInstance: 'i' });
    await sink.write(pool, { ...failed, message: 'é'.repeat(600) }, at(0));
    const note = [...client.events.values()][0]?.note ?? '';
    expect(new TextEncoder().encode(note).length).toBe(1024);
    expect(cutToBytes('ab€', 4)).toBe('ab');
    expect(cutToBytes('short', 1024)).toBe('short');
  });
});
