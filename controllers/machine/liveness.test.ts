import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { ConditionType, Reason } from '../../api/index.js';
import { findCondition } from '../shared/index.js';
import { EARLY_DEATH_MS, LIVENESS_PERIOD_MS } from './registration.js';
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

  it('an instance that failed in the sim fails the Machine, so the pool replaces it', async () => {
    await fx.sim().kill(instanceId, 'fail');
    fx.clock.advance(30_000);
    expect(await fx.reconcile('m1')).toEqual({});
    const m = await fx.mustGet('m1');
    expect(m.status).toMatchObject({ phase: 'Failed', failureReason: Reason.InstanceFailed, failureMessage: expect.stringContaining('failed (the instance failed (killed in the sim))') });
    expect(fx.events.filter((e) => e.type === 'Warning').map((e) => e.reason)).toEqual([Reason.InstanceFailed]);
  });

  it('an instance the cloud forgot is declared gone only after the not-found grace and a lookup by its tags', async () => {
    await fx.sim().kill(instanceId, 'vanish');
    fx.clock.advance(30_000);
    expect(await fx.reconcile('m1')).toEqual({ requeueAfterMs: 30_000 });
    let m = await fx.mustGet('m1');
    expect(m.status).toMatchObject({ phase: 'Running', instanceNotFoundSince: '2026-01-01T00:00:32Z' });
    expect(findCondition(m.status?.conditions, ConditionType.Ready)).toMatchObject({ status: 'Unknown', reason: Reason.InstanceNotFound });
    fx.clock.advance(30_000);
    expect(await fx.reconcile('m1')).toEqual({ requeueAfterMs: 30_000 });
    fx.clock.advance(30_000);
    expect(await fx.reconcile('m1')).toEqual({});
    m = await fx.mustGet('m1');
    expect(m.status).toMatchObject({ phase: 'Failed', failureReason: Reason.InstanceGone, failureMessage: expect.stringContaining('by id or by its tags') });
    expect(fx.events.filter((e) => e.type === 'Warning').map((e) => e.reason)).toEqual([Reason.InstanceGone]);
  });

  it('a stopped instance fails the Machine (it is deleted when the pool replaces it), and the offering backs off if it was young', async () => {
    await fx.sim().stop(instanceId);
    fx.clock.advance(30_000);
    expect(await fx.reconcile('m1')).toEqual({});
    const m = await fx.mustGet('m1');
    expect(m.status).toMatchObject({ phase: 'Failed', failureReason: Reason.InstanceStopped, instanceId });
    expect(m.status?.failureMessage).toContain('still exists and bills');
    expect(fx.backoff.isOut('sim-a/na-east/na-east-a/sim.micro')).toBe(true);
  });

  it('an instance that dies long after boot does not back its offering off', async () => {
    fx.clock.advance(EARLY_DEATH_MS);
    await fx.reconcile('m1');
    await fx.sim().kill(instanceId, 'fail');
    // Seen at the next listing, within one period.
    fx.clock.advance(LIVENESS_PERIOD_MS);
    await fx.reconcile('m1');
    expect((await fx.mustGet('m1')).status?.phase).toBe('Failed');
    expect(fx.backoff.isOut('sim-a/na-east/na-east-a/sim.micro')).toBe(false);
  });

  it('an instance deleted behind its back fails the Machine within one period', async () => {
    await fx.sim().delete(instanceId);
    fx.clock.advance(LIVENESS_PERIOD_MS);
    expect(await fx.reconcile('m1')).toEqual({});
    expect((await fx.mustGet('m1')).status).toMatchObject({ phase: 'Failed', failureReason: Reason.InstanceGone });
  });

  it('a throttled listing waits as told and keeps the Machine Running', async () => {
    fx.sim().failNext('list', new ThrottledError('slow down', 'sim-a', 9_000));
    fx.clock.advance(LIVENESS_PERIOD_MS);
    expect(await fx.reconcile('m1')).toEqual({ requeueAfterMs: 9_000 });
    expect((await fx.mustGet('m1')).status?.phase).toBe('Running');
  });

  it('a transient failure of the listing goes to the runtime back-off', async () => {
    fx.sim().failNext('list', new TransientError('503', 'sim-a'));
    fx.clock.advance(LIVENESS_PERIOD_MS);
    await expect(fx.reconcile('m1')).rejects.toThrow(TransientError);
    expect((await fx.mustGet('m1')).status?.phase).toBe('Running');
  });
});
