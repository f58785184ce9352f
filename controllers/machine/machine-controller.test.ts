import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { pino } from 'pino';
import type { Machine } from '../../api/index.js';
import { Manager } from '../../runtime/manager/index.js';
import { MANAGED_BY, NS, machineFixture } from './fixture.js';
import type { MachineFixture } from './fixture.js';
import { machineController } from './index.js';

let fx: MachineFixture;
let manager: Manager;
beforeEach(async () => {
  fx = await machineFixture();
  await fx.createStrategy();
  await fx.createPool();
  manager = new Manager({ store: fx.store, log: pino({ level: 'silent' }), clock: fx.clock, timers: fx.clock });
  manager.register(machineController(fx.deps));
  await manager.start();
});
afterEach(async () => {
  await manager.stop();
  await fx.close();
});

/**
 * Polls the stored Machine until `done` holds, moving the fake clock `tickMs` per poll so requeues
 * fire whenever the manager got to schedule them; the real-time deadline only bounds a broken test.
 */
async function untilMachine(done: (m: Machine | undefined) => boolean, what: string, tickMs = 0): Promise<Machine | undefined> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const m = await fx.get('m1');
    if (done(m)) return m;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; last saw ${JSON.stringify(m?.status)}`);
    fx.clock.advance(tickMs);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

describe('machineController under a Manager', () => {
  it('is driven by its watch and its requeues from creation to deletion', async () => {
    await fx.createMachine('m1');
    await untilMachine((m) => m?.status?.phase === 'Provisioning', 'Provisioning');
    const running = await untilMachine((m) => m?.status?.phase === 'Running', 'Running', 250);
    expect(await fx.sim().list({ managedBy: MANAGED_BY })).toHaveLength(1);

    await fx.store.delete('Machine', { namespace: NS, name: 'm1' });
    await untilMachine((m) => m?.status?.phase === 'Terminating', 'Terminating');
    await untilMachine((m) => m === undefined, 'the Machine to go', 250);
    expect((await fx.sim().get(running?.status?.instanceId ?? ''))?.state).toBe('terminated');
  });
});
