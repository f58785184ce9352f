import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { ConditionType, Reason } from '../../api/index.js';
import { MANAGED_BY, machineFixture } from './fixture.js';
import { NOT_FOUND_GRACE_MS } from './observe-instance.js';
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
    expect((await fx.sim().get(m.status?.instanceId ?? ''))?.state).toBe('terminating');
    expect(fx.events.map((e) => e.reason)).toEqual(['Created', Reason.ReadyTimeout]);
  });

  it('an instance that fails while provisioning fails the Machine', async () => {
    await fx.createPool();
    await fx.createMachine('m1');
    await fx.reconcile('m1');
    const id = (await fx.mustGet('m1')).status?.instanceId ?? '';
    await fx.sim().kill(id, 'fail');
    expect(await fx.reconcile('m1')).toEqual({});
    expect((await fx.mustGet('m1')).status).toMatchObject({ phase: 'Failed', failureReason: Reason.InstanceFailed, instanceId: id });
    expect(await fx.sim().list({ managedBy: MANAGED_BY })).toHaveLength(1);
  });

  it('an instance that vanishes while provisioning fails the Machine once the not-found grace has passed', async () => {
    await fx.createPool();
    await fx.createMachine('m1');
    await fx.reconcile('m1');
    const id = (await fx.mustGet('m1')).status?.instanceId ?? '';
    await fx.sim().kill(id, 'vanish');
    expect(await fx.reconcile('m1')).toEqual({ requeueAfterMs: 2_000 });
    fx.clock.advance(NOT_FOUND_GRACE_MS);
    expect(await fx.reconcile('m1')).toEqual({});
    expect((await fx.mustGet('m1')).status).toMatchObject({ phase: 'Failed', failureReason: Reason.InstanceGone, instanceId: id });
    expect(await fx.sim().list({ managedBy: MANAGED_BY })).toHaveLength(0);
  });
});

describe('a cloud that does not show a new instance at once (EC2 is eventually consistent)', () => {
  beforeEach(async () => {
    fx = await machineFixture({ createLatencyMs: 5_000 });
    await fx.createStrategy();
    await fx.createPool();
  });

  it('keeps the Machine Provisioning while the instance is unseen, then Running, with one instance', async () => {
    fx.sim().addFaultRule({ op: 'create', kind: 'invisible', rate: 1, forMs: 40_000 });
    await fx.createMachine('m1');
    await fx.reconcile('m1');
    const id = (await fx.mustGet('m1')).status?.instanceId ?? '';
    for (let waited = 2_000; waited < 40_000; waited += 2_000) {
      fx.clock.advance(2_000);
      await fx.reconcile('m1');
      const m = await fx.mustGet('m1');
      expect(m.status?.phase).not.toBe('Failed');
    }
    const unseen = await fx.mustGet('m1');
    expect(unseen.status?.instanceNotFoundSince).toBeDefined();
    expect(unseen.status?.conditions?.find((c) => c.type === ConditionType.Ready)).toMatchObject({ status: 'Unknown', reason: Reason.InstanceNotFound });
    fx.clock.advance(2_000);
    expect(await fx.reconcile('m1')).toEqual({ requeueAfterMs: 30_000 });
    const m = await fx.mustGet('m1');
    expect(m.status).toMatchObject({ phase: 'Running', instanceId: id });
    expect(m.status?.instanceNotFoundSince).toBeUndefined();
    expect((await fx.sim().list({ managedBy: MANAGED_BY })).map((i) => i.id)).toEqual([id]);
  });

  it('a Machine whose create returned an instance the cloud never shows is failed only after the grace, by id and by tags', async () => {
    fx.sim().addFaultRule({ op: 'create', kind: 'invisible', rate: 1, forMs: 10 * 60_000 });
    await fx.createMachine('m1');
    await fx.reconcile('m1');
    fx.clock.advance(2_000);
    await fx.reconcile('m1');
    fx.clock.advance(NOT_FOUND_GRACE_MS - 1_000);
    await fx.reconcile('m1');
    expect((await fx.mustGet('m1')).status?.phase).toBe('Provisioning');
    fx.clock.advance(1_000);
    await fx.reconcile('m1');
    expect((await fx.mustGet('m1')).status).toMatchObject({ phase: 'Failed', failureReason: Reason.InstanceGone });
  });
});
