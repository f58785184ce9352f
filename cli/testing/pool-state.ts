import { pino } from 'pino';
import { ANNOTATION_PLACEMENT } from '../../api/index.js';
import { openFileStore } from '../../runtime/store/file/index.js';
import { testMachine, testNodePool, testStrategy } from '../../runtime/testing/objects.js';

/**
 * A state file with pool "workers" (strategy "cheap"): Machine workers-abcde in slot 0 Running with
 * addresses and a placement explanation, workers-fghij in slot 1 Pending, and one ScalingUp event.
 */
export async function writePoolState(state: string): Promise<void> {
  const store = await openFileStore({ path: state, logger: pino({ level: 'silent' }) });
  await store.create(testStrategy('default', 'cheap'));
  const pool = await store.create(testNodePool('default', 'workers', 'cheap'));
  await store.updateStatus({
    ...pool,
    status: { replicas: 2, readyReplicas: 1, desiredReplicas: 2, hourlyCost: '0.05', conditions: [{ type: 'Ready', status: 'False', reason: 'MachinesNotReady', message: '1/2 running', lastTransitionTime: '2026-01-01T00:00:00Z' }] },
  });
  const running = testMachine(pool, 'workers-abcde', 0);
  const m0 = await store.create({ ...running, metadata: { ...running.metadata, annotations: { [ANNOTATION_PLACEMENT]: 'slot 0 → sim-a/r1/r1a; picked s1 at $0.05/h' } } });
  await store.updateStatus({ ...m0, status: { phase: 'Running', instanceId: 'i-123', hourlyPrice: '0.05', placement: 'slot 0 → sim-a/r1/r1a; picked s1 at $0.05/h', addresses: [{ type: 'InternalIP', address: '10.0.0.5' }, { type: 'ExternalIP', address: '203.0.113.5' }] } });
  await store.create(testMachine(pool, 'workers-fghij', 1));
  await store.eventSink().write({ kind: 'NodePool', namespace: 'default', name: 'workers' }, { type: 'Normal', reason: 'ScalingUp', action: 'Scale', message: 'creating 2 Machines' }, new Date());
  await store.close();
}
