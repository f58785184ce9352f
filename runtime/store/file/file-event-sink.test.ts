import { afterAll, describe, expect, it } from '@jest/globals';
import type { EventInput, EventRegarding } from '../../events/types.js';
import { removeTempDirs, silentLogger, tempStatePath, until } from './fixture.js';
import { openFileStore } from './file-store.js';

afterAll(removeTempDirs);

const pool = (name: string, namespace = 'default'): EventRegarding => ({ kind: 'NodePool', namespace, name, uid: `uid-${name}` });
const warning = (message: string): EventInput => ({ type: 'Warning', reason: 'CreateFailed', action: 'Create', message });
const at = (second: number) => new Date(Date.UTC(2025, 0, 1, 0, 0, second));

describe('file event sink', () => {
  it('aggregates repeats into one row with a count and the last time', async () => {
    const store = await openFileStore({ path: tempStatePath(), logger: silentLogger });
    const sink = store.eventSink();
    for (let i = 0; i < 5; i++) await sink.write(pool('workers'), warning('quota exceeded in us-east-1'), at(i));
    await sink.write(pool('workers'), warning('capacity'), at(9));
    const events = await sink.list({ kind: 'NodePool', namespace: 'default', name: 'workers' });
    expect(events.map((e) => [e.message, e.count, e.firstTimestamp, e.lastTimestamp])).toEqual([
      ['quota exceeded in us-east-1', 5, at(0).toISOString(), at(4).toISOString()],
      ['capacity', 1, at(9).toISOString(), at(9).toISOString()],
    ]);
    expect(await sink.list({ kind: 'NodePool', namespace: 'default', name: 'other' })).toEqual([]);
    await store.close();
  });

  it('keeps the newest rows per namespace only, across a restart and in other processes', async () => {
    const path = tempStatePath();
    const store = await openFileStore({ path, logger: silentLogger, eventsPerNamespace: 3 });
    const other = await openFileStore({ path, logger: silentLogger, eventsPerNamespace: 3, pollIntervalMs: 20 });
    const sink = store.eventSink();
    for (let i = 0; i < 5; i++) await sink.write(pool('a'), warning(`failure ${i}`), at(i));
    await sink.write(pool('a'), warning('failure 2'), at(10));
    await sink.write(pool('b', 'elsewhere'), warning('failure x'), at(11));
    const expected = ['failure 2', 'failure 3', 'failure 4'];
    const messages = async (s: typeof store) => (await s.eventSink().list({ kind: 'NodePool', namespace: 'default', name: 'a' })).map((e) => e.message);
    expect(await messages(store)).toEqual(expected);
    await until(async () => (await messages(other)).join() === expected.join(), 'the other process to see the events');
    await Promise.all([store.close(), other.close()]);
    const reopened = await openFileStore({ path, logger: silentLogger, eventsPerNamespace: 3 });
    expect(await messages(reopened)).toEqual(expected);
    expect(await reopened.eventSink().list({ kind: 'NodePool', namespace: 'elsewhere', name: 'b' })).toHaveLength(1);
    await reopened.close();
  });

  it('cuts long messages', async () => {
    const store = await openFileStore({ path: tempStatePath(), logger: silentLogger });
    await store.eventSink().write(pool('a'), warning('x'.repeat(5000)), at(0));
    const [event] = await store.eventSink().list({ kind: 'NodePool', namespace: 'default', name: 'a' });
    expect(event?.message.length).toBe(1024);
    await store.close();
  });
});
