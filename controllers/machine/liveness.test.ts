import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { Reason } from '../../api/index.js';
import { ThrottledError, TransientError } from '../../providers/index.js';
import { machineFixture } from './fixture.js';
import type { MachineFixture } from './fixture.js';

let fx: MachineFixture;
let instanceId = '';
beforeEach(async () => {
  fx = await machineFixture();
  await fx.createStrategy();
  await fx.createPool();
  await fx.createMachine('m1');
  await fx.reconcile('m1');
  fx.clock.advance(2_000);
  await fx.reconcile('m1');
  const m = await fx.mustGet('m1');
  expect(m.status?.phase).toBe('Running');
  instanceId = m.status?.instanceId ?? '';
});
afterEach(() => fx.close());

describe('liveness (Running)', () => {
  it('re-checks a running instance every 30 s', async () => {
    fx.clock.advance(30_000);
    expect(await fx.reconcile('m1')).toEqual({ requeueAfterMs: 30_000 });
    expect((await fx.mustGet('m1')).status?.phase).toBe('Running');
  });

  it.each([
    { how: 'fail' as const, reason: Reason.InstanceFailed, message: 'failed (the instance failed (killed in the sim))' },
    { how: 'vanish' as const, reason: Reason.InstanceGone, message: 'the provider no longer knows it' },
  ])('an instance killed in the sim ($how) fails the Machine, so the pool replaces it', async ({ how, reason, message }) => {
    await fx.sim().kill(instanceId, how);
    fx.clock.advance(30_000);
    expect(await fx.reconcile('m1')).toEqual({});
    const m = await fx.mustGet('m1');
    expect(m.status).toMatchObject({ phase: 'Failed', failureReason: reason, failureMessage: expect.stringContaining(message) });
    expect(fx.events.filter((e) => e.type === 'Warning').map((e) => e.reason)).toEqual([reason]);
  });

  it('an instance deleted behind its back fails the Machine', async () => {
    await fx.sim().delete(instanceId);
    expect(await fx.reconcile('m1')).toEqual({});
    expect((await fx.mustGet('m1')).status).toMatchObject({ phase: 'Failed', failureReason: Reason.InstanceGone });
  });

  it('a throttled look waits as told and keeps the Machine Running', async () => {
    fx.sim().failNext('get', new ThrottledError('slow down', 'sim-a', 9_000));
    expect(await fx.reconcile('m1')).toEqual({ requeueAfterMs: 9_000 });
    expect((await fx.mustGet('m1')).status?.phase).toBe('Running');
  });

  it('a transient failure of the look goes to the runtime back-off', async () => {
    fx.sim().failNext('get', new TransientError('503', 'sim-a'));
    await expect(fx.reconcile('m1')).rejects.toThrow(TransientError);
    expect((await fx.mustGet('m1')).status?.phase).toBe('Running');
  });
});
