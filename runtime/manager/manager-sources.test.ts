import { describe, expect, it } from '@jest/globals';
import type { ObjectKey } from '../store/index.js';
import { eventually, settle } from '../testing/async.js';
import { ManualElector } from '../testing/manual-elector.js';
import { NS, managerFixture, recorder } from './fixture.js';
import type { ControllerSource } from './registration.js';

/** A source the test drives: it records its starts and stops and hands out its enqueue. */
function manualSource() {
  const state = { starts: 0, stops: 0, enqueue: undefined as ((key: ObjectKey) => void) | undefined };
  const source: ControllerSource = {
    start(enqueue) {
      state.starts += 1;
      state.enqueue = enqueue;
      return () => {
        state.stops += 1;
        state.enqueue = undefined;
      };
    },
  };
  return { source, state };
}

describe('Manager sources', () => {
  it('start once the process leads, feed the controller keys from outside the store, and stop with the manager', async () => {
    const elector = new ManualElector();
    const fx = managerFixture({ elector });
    const rec = recorder();
    const { source, state } = manualSource();
    fx.manager.register({ name: 'machine', kind: 'Machine', reconcile: rec.reconcile, sources: [source] });
    await fx.manager.start();
    await settle();
    expect(state.starts).toBe(0);
    elector.grant();
    await eventually(() => state.starts === 1, 'the source to start');
    state.enqueue?.({ namespace: NS, name: 'm1' });
    await eventually(() => rec.seen.length === 1, 'the enqueued key to be reconciled');
    expect(rec.seen).toEqual([`${NS}/m1`]);
    await fx.manager.stop();
    expect(state).toMatchObject({ starts: 1, stops: 1, enqueue: undefined });
  });
});
