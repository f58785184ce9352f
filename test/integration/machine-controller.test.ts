// The Machine controller and the leak collector on the real API server: a Machine's finalizer and
// status are accepted by the CRD as written (createdAt, addresses, conditions), its sim instance
// comes up and is terminated before the Machine goes, and an orphaned instance is collected.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { FINALIZER_MACHINE } from '../../api/index.js';
import { leakCollector } from '../../controllers/gc/index.js';
import { machineController } from '../../controllers/machine/index.js';
import { OfferingBackoff } from '../../controllers/shared/index.js';
import type { ControllerDeps } from '../../controllers/shared/index.js';
import { SimProvider } from '../../providers/sim/index.js';
import { systemClock } from '../../runtime/clock.js';
import { Manager } from '../../runtime/manager/index.js';
import { KubeStore } from '../../runtime/store/kube/index.js';
import { testMachine, testNodePool, testStrategy } from '../../runtime/testing/objects.js';
import { applyCrds, createNamespace, eventually, loadKubeConfig } from './cluster.js';

const kubeConfig = loadKubeConfig();
const logger = pino({ level: 'warn' });
const MANAGED_BY = 'polyfleet-machine-it';

describe('Machine controller on the real API server', () => {
  const simDir = mkdtempSync(join(tmpdir(), 'polyfleet-machine-it-'));
  const sim = new SimProvider({ account: 'sim-a', dir: simDir, createLatencyMs: 200, deleteLatencyMs: 200 });
  const store = new KubeStore({ kubeConfig, logger });
  const deps: ControllerDeps = {
    store,
    clock: systemClock,
    managedBy: MANAGED_BY,
    backoff: new OfferingBackoff(systemClock),
    recorder: { record() {} },
    providers: { forAccount: () => Promise.resolve(sim) },
  };
  let namespace = '';
  let manager: Manager;

  beforeAll(async () => {
    await applyCrds();
    namespace = await createNamespace(kubeConfig, 'machine');
    manager = new Manager({ store, log: logger, namespace, shutdownGraceMs: 5_000 });
    manager.register(machineController(deps));
    await manager.start();
  }, 90_000);

  afterAll(async () => {
    await manager.stop();
    await store.close();
    rmSync(simDir, { recursive: true, force: true });
  });

  it('launches, runs and terminates an instance, holding the Machine until it is gone', async () => {
    await store.create(testStrategy(namespace, 'cheap'));
    const pool = await store.create(testNodePool(namespace, 'workers', 'cheap'));
    const base = testMachine(pool, 'workers-abcde');
    const spec = { ...base.spec, region: 'na-east', zone: 'na-east-a', instanceType: 'sim.micro', image: 'sim-img-ubuntu-24.04-na-east', failureDomain: 'sim-a/na-east/na-east-a' };
    await store.create({ ...base, spec });
    const key = { namespace, name: 'workers-abcde' };
    const running = await eventually(() => store.get('Machine', key), (m) => m?.status?.phase === 'Running', 'the Machine to run');
    expect(running?.metadata.finalizers).toEqual([FINALIZER_MACHINE]);
    expect(running?.status?.addresses?.length).toBeGreaterThan(0);
    const instanceId = running?.status?.instanceId ?? '';
    expect((await sim.get(instanceId))?.state).toBe('running');

    await store.delete('Machine', key);
    await eventually(() => store.get('Machine', key), (m) => m === undefined, 'the Machine to go');
    expect((await sim.get(instanceId))?.state).toBe('terminated');
  }, 60_000);

  it('collects an instance whose Machine never existed', async () => {
    await store.create(testStrategy(namespace, 'gc'));
    const orphan = await sim.create({
      machineUid: 'no-such-machine', attempt: 1, managedBy: MANAGED_BY, pool: 'workers', namespace,
      region: 'na-east', zone: 'na-east-a', instanceType: 'sim.micro', image: 'sim-img-ubuntu-24.04-na-east',
    });
    await leakCollector(deps, { graceMs: 0 }).reconcile({ log: logger, signal: new AbortController().signal, reconcileId: 'it' }, { namespace, name: 'gc' });
    expect((await sim.get(orphan.id))?.state).toMatch(/^(terminating|terminated)$/);
  }, 30_000);
});
