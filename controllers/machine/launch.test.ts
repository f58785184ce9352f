import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { ConditionType, FINALIZER_MACHINE, Reason } from '../../api/index.js';
import { AuthError, CapacityError, InvalidRequestError, QuotaError, TAG_MACHINE, ThrottledError, TransientError } from '../../providers/index.js';
import type { ProviderError } from '../../providers/index.js';
import { ConflictError } from '../../runtime/store/index.js';
import type { Store } from '../../runtime/store/index.js';
import { ACCOUNT_RETRY_MS } from './controller.js';
import { MANAGED_BY, NS, POOL, STRATEGY, machineFixture, withStore } from './fixture.js';
import { findCondition } from '../shared/index.js';
import type { MachineFixture } from './fixture.js';

let fx: MachineFixture;
beforeEach(async () => {
  fx = await machineFixture();
  await fx.createStrategy();
  await fx.createPool();
});
afterEach(() => fx.close());

describe('launch', () => {
  it('stores the finalizer, creates one instance tagged with the Machine, and records it', async () => {
    const created = await fx.createMachine('m1');
    const result = await fx.reconcile('m1');
    const m = await fx.mustGet('m1');
    expect(m.metadata.finalizers).toEqual([FINALIZER_MACHINE]);
    expect(m.status).toMatchObject({ phase: 'Provisioning', hourlyPrice: expect.any(String), createdAt: '2026-01-01T00:00:00.000Z', placement: expect.stringContaining('picked sim.micro') });
    const instances = await fx.sim().list({ managedBy: MANAGED_BY });
    expect(instances.map((i) => i.id)).toEqual([m.status?.instanceId]);
    expect(instances[0]?.tags[TAG_MACHINE]).toBe(created.metadata.uid);
    expect(m.status?.conditions?.find((c) => c.type === ConditionType.Launched)).toMatchObject({ status: 'True', reason: Reason.InstanceCreated });
    expect(result).toEqual({ requeueAfterMs: 2_000 });
    expect(fx.events.map((e) => [e.type, e.reason])).toEqual([['Normal', 'Created']]);
  });

  it('never calls the cloud before the finalizer is stored', async () => {
    await fx.createMachine('m1');
    const failingPatch: Store = Object.assign(Object.create(fx.store) as Store, {
      patch: () => Promise.reject(new ConflictError('Machine', { namespace: NS, name: 'm1' }, 'stale')),
    });
    await expect(fx.reconcile('m1', withStore(fx.deps, failingPatch))).rejects.toThrow(ConflictError);
    expect(await fx.sim().list({ managedBy: MANAGED_BY })).toEqual([]);
  });

  it('adopts the instance a crash left behind between the create and the status write', async () => {
    const created = await fx.createMachine('m1', {}, [FINALIZER_MACHINE]);
    const spec = created.spec;
    const orphan = await fx.sim().create({
      machineUid: created.metadata.uid ?? '',
      attempt: 1,
      managedBy: MANAGED_BY,
      pool: POOL,
      namespace: NS,
      region: spec.region,
      zone: spec.zone,
      instanceType: spec.instanceType,
      image: spec.image ?? '',
    });
    fx.clock.advance(5_000);
    await fx.reconcile('m1');
    const m = await fx.mustGet('m1');
    expect(m.status?.instanceId).toBe(orphan.id);
    expect(m.status?.phase).toBe('Running');
    expect(await fx.sim().list({ managedBy: MANAGED_BY })).toHaveLength(1);
  });

  it('resolves the image from the Strategy when the Machine names none', async () => {
    await fx.createMachine('m1', { image: undefined });
    await fx.reconcile('m1');
    expect((await fx.mustGet('m1')).status?.phase).toBe('Provisioning');
  });

  // A Strategy deleted and re-created by GitOps, or an account renamed, is missing for a moment: the
  // Machine waits, says why, and is never failed (a Failed Machine is replaced, its instance deleted).
  it.each([
    { name: 'its pool does not exist', spec: { pool: 'nowhere' }, reason: Reason.ProviderAccountNotFound, message: 'NodePool default/nowhere does not exist' },
    { name: 'its Strategy has no such account', spec: { provider: 'sim-z' }, reason: Reason.ProviderAccountRemoved, message: 'Strategy default/cheap has no sim account "sim-z" any more' },
  ])('waits, creating nothing, when $name', async ({ spec, reason, message }) => {
    await fx.createMachine('m1', spec);
    expect(await fx.reconcile('m1')).toEqual({ requeueAfterMs: ACCOUNT_RETRY_MS });
    const m = await fx.mustGet('m1');
    expect(m.status?.phase).toBe('Pending');
    expect(m.status?.failureReason).toBeUndefined();
    expect(findCondition(m.status?.conditions, ConditionType.ProviderAccountFound)).toMatchObject({
      status: 'False',
      reason,
      message: `${message}; no instance is created until it is back`,
    });
    expect(await fx.sim().list({ managedBy: MANAGED_BY })).toEqual([]);
  });

  it('launches once a missing Strategy is back', async () => {
    await fx.store.delete('Strategy', { namespace: NS, name: STRATEGY });
    await fx.createMachine('m1');
    await fx.reconcile('m1');
    expect(findCondition((await fx.mustGet('m1')).status?.conditions, ConditionType.ProviderAccountFound)?.reason).toBe(Reason.StrategyNotFound);
    await fx.createStrategy();
    await fx.reconcile('m1');
    const m = await fx.mustGet('m1');
    expect(m.status?.phase).toBe('Provisioning');
    expect(findCondition(m.status?.conditions, ConditionType.ProviderAccountFound)?.status).toBe('True');
  });
});

describe('launch errors', () => {
  const offering = 'sim-a/na-east/na-east-a/sim.micro';
  it.each<{ name: string; err: ProviderError; reason: string; out: string; notOut?: string }>([
    { name: 'capacity marks the type in the zone out', err: new CapacityError('no room', 'sim-a'), reason: Reason.InsufficientCapacity, out: offering, notOut: 'sim-a/na-east/na-east-b' },
    { name: 'quota marks the account out', err: new QuotaError('limit', 'sim-a'), reason: Reason.QuotaExceeded, out: 'sim-a/eu-central/eu-central-a' },
    { name: 'auth marks the account out', err: new AuthError('denied', 'sim-a'), reason: Reason.AuthFailed, out: 'sim-a' },
    { name: 'an invalid request marks the offering out', err: new InvalidRequestError('no such type', 'sim-a'), reason: Reason.InvalidRequest, out: offering, notOut: 'sim-a/na-east/na-east-a/sim.small' },
  ])('$name and fails the Machine', async ({ err, reason, out, notOut }) => {
    await fx.createMachine('m1');
    fx.sim().failNext('create', err);
    expect(await fx.reconcile('m1')).toEqual({});
    const m = await fx.mustGet('m1');
    expect(m.status).toMatchObject({ phase: 'Failed', failureReason: reason, failureMessage: err.message });
    expect(m.status?.instanceId).toBeUndefined();
    expect(fx.backoff.isOut(out)).toBe(true);
    if (notOut !== undefined) expect(fx.backoff.isOut(notOut)).toBe(false);
    expect(fx.events.map((e) => [e.type, e.reason])).toEqual([['Warning', reason]]);
    // Failed is final: another reconcile calls no provider.
    expect(await fx.reconcile('m1')).toEqual({});
    expect(await fx.sim().list({ managedBy: MANAGED_BY })).toEqual([]);
  });

  it.each([
    { name: 'with the wait the provider asked for', retryAfterMs: 7_000, wait: 7_000 },
    { name: 'with 5 s when the provider said nothing', retryAfterMs: undefined, wait: 5_000 },
  ])('throttled waits $name, changing only a condition', async ({ retryAfterMs, wait }) => {
    await fx.createMachine('m1');
    fx.sim().failNext('create', new ThrottledError('slow down', 'sim-a', retryAfterMs));
    expect(await fx.reconcile('m1')).toEqual({ requeueAfterMs: wait });
    const m = await fx.mustGet('m1');
    expect(m.status?.phase).toBe('Pending');
    expect(m.status?.conditions?.find((c) => c.type === ConditionType.Launched)).toMatchObject({ status: 'False', reason: Reason.Throttled });
    expect(fx.backoff.nextExpiryMs()).toBeUndefined();
    await fx.reconcile('m1');
    expect((await fx.mustGet('m1')).status?.phase).toBe('Provisioning');
  });

  it('transient errors go to the runtime back-off and change nothing', async () => {
    await fx.createMachine('m1');
    fx.sim().failNext('create', new TransientError('503', 'sim-a'));
    await expect(fx.reconcile('m1')).rejects.toThrow(TransientError);
    const m = await fx.mustGet('m1');
    expect(m.status).toBeUndefined();
    expect(m.metadata.finalizers).toEqual([FINALIZER_MACHINE]);
    expect(fx.backoff.nextExpiryMs()).toBeUndefined();
  });
});
