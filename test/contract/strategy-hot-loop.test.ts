import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { API_VERSION, type Strategy } from '../../api/index.js';
import { buildDeps } from '../../controllers/setup.js';
import { strategyController } from '../../controllers/strategy/index.js';
import { Manager } from '../../runtime/manager/index.js';
import { FakeClock } from '../../runtime/testing/fake-clock.js';
import { eventually, settle } from '../../runtime/testing/async.js';
import { openFileStore, type FileStore } from '../../runtime/store/file/index.js';
import type { Store } from '../../runtime/store/index.js';
import { startFakeDigitalOcean, type FakeDigitalOcean } from '../fakes/digitalocean/index.js';

/**
 * A cloud that fails every call, each time with a fresh request id in its error body (as
 * DigitalOcean's do), under the real manager, the Strategy controller and the DigitalOcean adapter:
 * the Strategy's status says so once and stays as it is (no request id in a condition, a status-only
 * change never re-enqueues the Strategy), and the reconciles back off instead of looping.
 */
describe('a cloud that fails every call with a fresh request id', () => {
  let fake: FakeDigitalOcean;
  let manager: Manager | undefined;
  let memory: FileStore | undefined;
  let dir: string;

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'polyfleet-hot-loop-'));
    fake = await startFakeDigitalOcean();
    for (let i = 0; i < 200; i++) fake.inject('regions', 'transient');
  });
  afterEach(async () => {
    await manager?.stop();
    await memory?.close();
    await fake.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('writes the Strategy status once, and reconciles at a backing-off pace', async () => {
    const clock = new FakeClock(Date.UTC(2026, 0, 1));
    memory = await openFileStore({ path: join(dir, 'state.jsonl'), logger: pino({ level: 'silent' }), clock, pollIntervalMs: 0 });
    let statusWrites = 0;
    const files = memory;
    const store: Store = Object.assign(Object.create(files) as Store, {
      updateStatus: (object: Parameters<Store['updateStatus']>[0]) => {
        if (object.kind === 'Strategy') statusWrites++;
        return files.updateStatus(object);
      },
    });
    const log = pino({ level: 'silent' });
    const deps = buildDeps({
      store,
      eventSink: { write: () => Promise.resolve(), list: () => Promise.resolve([]) },
      log,
      clock,
      managedBy: 'pf-hotloop',
      credentials: { credentials: () => Promise.resolve({ token: fake.token }) },
      providerOptions: { retry: { maxAttempts: 1 } },
    });
    const controller = strategyController(deps);
    let reconciles = 0;
    let inFlight = 0;
    manager = new Manager({ store, log, clock, timers: clock });
    manager.register({
      ...controller,
      reconcile: async (ctx, key) => {
        reconciles++;
        inFlight++;
        try {
          return await controller.reconcile(ctx, key);
        } finally {
          inFlight--;
        }
      },
    });
    const strategy: Strategy & { kind: 'Strategy' } = {
      apiVersion: API_VERSION,
      kind: 'Strategy',
      metadata: { name: 'do-only', namespace: 'default' },
      spec: { pick: 'first', providers: [{ name: 'do', type: 'digitalocean', endpoint: fake.endpoint }], hardware: { minCPU: 1, minMemoryGiB: 1, minDiskGiB: 0 }, software: { os: 'ubuntu-24.04' } },
    };
    await store.create(strategy);
    await manager.start();

    const quiet = async (): Promise<void> => {
      for (let i = 0; i < 5; i++) await settle();
      await eventually(() => inFlight === 0, 'the reconcile in flight to finish');
      for (let i = 0; i < 5; i++) await settle();
    };
    const runFor = async (seconds: number): Promise<void> => {
      for (let s = 0; s < seconds; s++) {
        clock.advance(1_000);
        await quiet();
      }
    };
    await quiet();
    await runFor(60);
    expect(statusWrites).toBeLessThanOrEqual(2);
    expect(reconciles).toBeLessThanOrEqual(3);
    const ready = (await files.get('Strategy', { namespace: 'default', name: 'do-only' }))?.status?.conditions?.find((c) => c.type === 'Ready');
    expect(ready).toMatchObject({ status: 'False' });
    expect(ready?.message).toContain('provider account "do"');
    expect(ready?.message).not.toMatch(/[0-9a-f]{8}-[0-9a-f]{4}-/);

    // Ten more minutes of the same: the condition says the same, so nothing is written again, and
    // the looks come at 2, 4 and 8 minutes, not every minute.
    const writesAfterFirstMinute = statusWrites;
    const reconcilesAfterFirstMinute = reconciles;
    await runFor(600);
    expect(statusWrites).toBe(writesAfterFirstMinute);
    expect(reconciles - reconcilesAfterFirstMinute).toBeLessThanOrEqual(4);
  }, 120_000);
});
