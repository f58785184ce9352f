import { describe, expect, it } from '@jest/globals';
import { pino } from 'pino';
import { FakeClock } from '../testing/fake-clock.js';
import { DedupingRecorder } from './recorder.js';
import type { EventInput, EventRegarding, EventSink, StoredEvent } from './types.js';

class RecordingSink implements EventSink {
  readonly written: string[] = [];
  fail: 'no' | 'reject' | 'throw' = 'no';

  write(regarding: EventRegarding, event: EventInput): Promise<void> {
    if (this.fail === 'throw') throw new Error('sink bug');
    this.written.push(`${regarding.name} ${event.reason}: ${event.message}`);
    return this.fail === 'reject' ? Promise.reject(new Error('API server down')) : Promise.resolve();
  }

  list(): Promise<StoredEvent[]> {
    return Promise.resolve([]);
  }
}

const pool: EventRegarding = { kind: 'NodePool', namespace: 'ns', name: 'workers', uid: 'u1' };
const failed: EventInput = { type: 'Warning', reason: 'LaunchFailed', action: 'Create', message: 'no capacity in r1a' };

function setup() {
  const sink = new RecordingSink();
  const clock = new FakeClock();
  const recorder = new DedupingRecorder({ sink, clock, logger: pino({ level: 'silent' }) });
  return { sink, clock, recorder };
}

describe('DedupingRecorder', () => {
  it('drops repeats of the same object, reason and message within two minutes', () => {
    const { sink, clock, recorder } = setup();
    for (let i = 0; i < 30; i++) {
      recorder.record(pool, failed);
      clock.advance(5_000);
    }
    // at 0 s and 120 s; the 28 in between are dropped
    expect(sink.written).toEqual(['workers LaunchFailed: no capacity in r1a', 'workers LaunchFailed: no capacity in r1a']);
  });

  it('lets through what differs in object, reason or message', () => {
    const { sink, recorder } = setup();
    recorder.record(pool, failed);
    recorder.record({ ...pool, uid: 'u2' }, failed);
    recorder.record(pool, { ...failed, reason: 'Other' });
    recorder.record(pool, { ...failed, message: 'no capacity in r1b' });
    expect(sink.written).toHaveLength(4);
  });

  it('never throws, whether the sink rejects or throws', async () => {
    const { sink, recorder } = setup();
    sink.fail = 'reject';
    expect(() => { recorder.record(pool, failed); }).not.toThrow();
    sink.fail = 'throw';
    expect(() => { recorder.record({ ...pool, uid: 'u3' }, failed); }).not.toThrow();
    await new Promise((resolve) => setImmediate(resolve));
  });

  it('remembers a bounded number of repeats', () => {
    const sink = new RecordingSink();
    const recorder = new DedupingRecorder({ sink, clock: new FakeClock(), logger: pino({ level: 'silent' }), maxRemembered: 2 });
    for (const uid of ['a', 'b', 'c', 'a']) recorder.record({ ...pool, uid }, failed);
    expect(sink.written).toHaveLength(4); // "a" was forgotten to make room for "c"
  });
});
