import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { ConditionType, Reason } from '../../api/index.js';
import { MANAGED_BY, machineFixture } from './fixture.js';
import type { MachineFixture } from './fixture.js';

let fx: MachineFixture;
afterEach(() => fx.close());

describe('registration (Provisioning until Running)', () => {
  beforeEach(async () => {
    fx = await machineFixture({ createLatencyMs: 60_000 });
    await fx.createStrategy();
  });

  it('polls a pending instance every 2 s, then records it Running with addresses', async () => {
    await fx.createPool();
    await fx.createMachine('m1');
    expect(await fx.reconcile('m1')).toEqual({ requeueAfterMs: 2_000 });
    fx.clock.advance(2_000);
    expect(await fx.reconcile('m1')).toEqual({ requeueAfterMs: 2_000 });
    expect((await fx.mustGet('m1')).status?.conditions?.find((c) => c.type === ConditionType.Ready)).toMatchObject({ status: 'False', reason: Reason.InstancePending });
    fx.clock.advance(58_000);
    expect(await fx.reconcile('m1')).toEqual({ requeueAfterMs: 30_000 });
    const m = await fx.mustGet('m1');
    expect(m.status?.phase).toBe('Running');
    expect(m.status?.addresses?.map((a) => a.type)).toEqual(['InternalIP', 'ExternalIP', 'Hostname']);
    expect(m.status?.conditions?.find((c) => c.type === ConditionType.Ready)).toMatchObject({ status: 'True', reason: Reason.InstanceRunning });
  });

  it('writes no status when nothing changed', async () => {
    await fx.createPool();
    await fx.createMachine('m1');
    await fx.reconcile('m1');
    fx.clock.advance(1_000);
    const before = (await fx.mustGet('m1')).metadata.resourceVersion;
    await fx.reconcile('m1');
    expect((await fx.mustGet('m1')).metadata.resourceVersion).toBe(before);
  });

  it('waits no longer than the ready deadline, then fails the Machine and deletes its instance', async () => {
    await fx.createPool(30);
    await fx.createMachine('m1');
    await fx.reconcile('m1');
    fx.clock.advance(29_000);
    expect(await fx.reconcile('m1')).toEqual({ requeueAfterMs: 1_000 });
    fx.clock.advance(1_000);
    expect(await fx.reconcile('m1')).toEqual({});
    const m = await fx.mustGet('m1');
    expect(m.status).toMatchObject({ phase: 'Failed', failureReason: Reason.ReadyTimeout });
    expect((await fx.sim().get(m.status?.instanceId ?? ''))?.state).toBe('stopping');
    expect(fx.events.map((e) => e.reason)).toEqual(['Created', Reason.ReadyTimeout]);
  });

  it.each([
    { how: 'fail' as const, reason: Reason.InstanceFailed },
    { how: 'vanish' as const, reason: Reason.InstanceGone },
  ])('an instance that dies while provisioning ($how) fails the Machine', async ({ how, reason }) => {
    await fx.createPool();
    await fx.createMachine('m1');
    await fx.reconcile('m1');
    const id = (await fx.mustGet('m1')).status?.instanceId ?? '';
    await fx.sim().kill(id, how);
    expect(await fx.reconcile('m1')).toEqual({});
    expect((await fx.mustGet('m1')).status).toMatchObject({ phase: 'Failed', failureReason: reason, instanceId: id });
    expect(await fx.sim().list({ managedBy: MANAGED_BY })).toHaveLength(how === 'fail' ? 1 : 0);
  });
});
