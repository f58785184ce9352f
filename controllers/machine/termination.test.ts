import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { ConditionType, FINALIZER_MACHINE, Reason } from '../../api/index.js';
import { CapacityError, ThrottledError } from '../../providers/index.js';
import { MANAGED_BY, NS, POOL, STRATEGY, machineFixture, simCreateRequestFor } from './fixture.js';
import { NOT_FOUND_GRACE_MS } from './observe-instance.js';
import type { MachineFixture } from './fixture.js';

let fx: MachineFixture;
beforeEach(async () => {
  fx = await machineFixture();
  await fx.createStrategy();
  await fx.createPool();
});
afterEach(() => fx.close());

const key = { namespace: NS, name: 'm1' };

async function runningMachine(): Promise<string> {
  await fx.createMachine('m1');
  await fx.reconcile('m1');
  fx.clock.advance(2_000);
  await fx.reconcile('m1');
  return (await fx.mustGet('m1')).status?.instanceId ?? '';
}

describe('termination', () => {
  it('deletes the recorded instance, waits until it is terminated, then drops the finalizer', async () => {
    const id = await runningMachine();
    await fx.store.delete('Machine', key);
    expect(await fx.reconcile('m1')).toEqual({ requeueAfterMs: 2_000 });
    const m = await fx.mustGet('m1');
    expect(m.status?.phase).toBe('Terminating');
    expect(m.status?.conditions?.find((c) => c.type === ConditionType.InstanceTerminated)).toMatchObject({ status: 'False', reason: Reason.DeleteRequested });
    expect((await fx.sim().get(id))?.state).toBe('terminating');
    fx.clock.advance(1_000);
    expect(await fx.reconcile('m1')).toEqual({});
    expect(await fx.get('m1')).toBeUndefined();
    expect((await fx.sim().get(id))?.state).toBe('terminated');
    expect(fx.events.at(-1)).toMatchObject({ type: 'Normal', reason: 'Deleted', message: `terminated instance ${id}` });
  });

  it('finds an instance no status recorded (a crash after the create) by its Machine tag', async () => {
    const created = await fx.createMachine('m1', {}, [FINALIZER_MACHINE]);
    const orphan = await fx.sim().create(simCreateRequestFor(created));
    await fx.createMachine('other', {}, [FINALIZER_MACHINE]);
    await fx.reconcile('other');
    await fx.store.delete('Machine', key);
    await fx.reconcile('m1');
    expect((await fx.mustGet('m1')).status?.instanceId).toBe(orphan.id);
    fx.clock.advance(1_000);
    await fx.reconcile('m1');
    expect(await fx.get('m1')).toBeUndefined();
    expect((await fx.sim().list({ managedBy: MANAGED_BY })).map((i) => i.tags['polyfleet.io/machine'])).toEqual([(await fx.mustGet('other')).metadata.uid]);
  });

  it('releases a Machine whose create failed: no instance exists', async () => {
    await fx.createMachine('m1');
    fx.sim().failNext('create', new CapacityError('full', 'sim-a'));
    await fx.reconcile('m1');
    await fx.store.delete('Machine', key);
    expect(await fx.reconcile('m1')).toEqual({});
    expect(await fx.get('m1')).toBeUndefined();
  });

  it('waits as told when the delete is throttled', async () => {
    await runningMachine();
    await fx.store.delete('Machine', key);
    fx.sim().failNext('delete', new ThrottledError('slow down', 'sim-a', 4_000));
    expect(await fx.reconcile('m1')).toEqual({ requeueAfterMs: 4_000 });
    expect((await fx.mustGet('m1')).status?.phase).toBe('Terminating');
  });

  it('still terminates, through any Strategy of the namespace with the account, when the pool is gone', async () => {
    const id = await runningMachine();
    await fx.store.delete('NodePool', { namespace: NS, name: POOL });
    await fx.store.delete('Machine', key);
    await fx.reconcile('m1');
    expect((await fx.sim().get(id))?.state).toBe('terminating');
  });
});

describe('termination when the provider account is gone', () => {
  it('keeps the finalizer, says what blocks and how to unblock, and terminates once the account is back', async () => {
    const id = await runningMachine();
    await fx.store.delete('Strategy', { namespace: NS, name: STRATEGY });
    await fx.store.delete('Machine', key);
    expect(await fx.reconcile('m1')).toEqual({ requeueAfterMs: 60_000 });
    const m = await fx.mustGet('m1');
    expect(m.metadata.finalizers).toEqual([FINALIZER_MACHINE]);
    const condition = m.status?.conditions?.find((c) => c.type === ConditionType.InstanceTerminated);
    expect(condition).toMatchObject({ status: 'False', reason: Reason.ProviderAccountNotFound });
    expect(condition?.message).toContain(`cannot terminate instance ${id}`);
    expect(condition?.message).toContain(`remove the finalizer ${FINALIZER_MACHINE}`);
    expect(fx.events.at(-1)).toMatchObject({ type: 'Warning', reason: 'TerminationBlocked' });
    expect((await fx.sim().get(id))?.state).toBe('running');

    await fx.createStrategy();
    await fx.reconcile('m1');
    fx.clock.advance(1_000);
    await fx.reconcile('m1');
    expect(await fx.get('m1')).toBeUndefined();
    expect((await fx.sim().get(id))?.state).toBe('terminated');
  });

  it('releases at once a Machine whose create was refused, as no instance can exist', async () => {
    await fx.createMachine('m1');
    fx.sim().failNext('create', new CapacityError('full', 'sim-a'));
    await fx.reconcile('m1');
    await fx.store.delete('Strategy', { namespace: NS, name: STRATEGY });
    await fx.store.delete('Machine', key);
    expect(await fx.reconcile('m1')).toEqual({});
    expect(await fx.get('m1')).toBeUndefined();
  });

  it('keeps the finalizer of a Machine that may have an unrecorded instance', async () => {
    await fx.createMachine('m1', {}, [FINALIZER_MACHINE]);
    await fx.store.delete('Strategy', { namespace: NS, name: STRATEGY });
    await fx.store.delete('Machine', key);
    expect(await fx.reconcile('m1')).toEqual({ requeueAfterMs: 60_000 });
    expect((await fx.mustGet('m1')).status?.conditions?.find((c) => c.type === ConditionType.InstanceTerminated)?.message).toContain('cannot terminate any instance of this Machine');
  });
});

describe('termination through the account the Machine recorded', () => {
  const record = { providerAccount: { name: 'sim-a', type: 'sim' as const } };

  it('terminates the instance of a Machine whose Strategy is gone (a GitOps prune, an account removed)', async () => {
    await fx.createMachine('m1', record);
    await fx.reconcile('m1');
    const id = (await fx.mustGet('m1')).status?.instanceId ?? '';
    await fx.store.delete('Strategy', { namespace: NS, name: STRATEGY });
    await fx.store.delete('Machine', key);
    expect(await fx.reconcile('m1')).toEqual({ requeueAfterMs: 2_000 });
    expect((await fx.sim().get(id))?.state).toBe('terminating');
    fx.clock.advance(1_000);
    expect(await fx.reconcile('m1')).toEqual({});
    expect(await fx.get('m1')).toBeUndefined();
  });

  it('releases a Machine that never launched only once a lookup by its tags finds nothing a minute after it was made', async () => {
    await fx.createMachine('m1', record, [FINALIZER_MACHINE]);
    await fx.store.delete('Strategy', { namespace: NS, name: STRATEGY });
    await fx.store.delete('Machine', key);
    // A create may have run just before a crash, and the cloud may not show its instance yet.
    expect(await fx.reconcile('m1')).toEqual({ requeueAfterMs: NOT_FOUND_GRACE_MS });
    expect((await fx.mustGet('m1')).metadata.finalizers).toEqual([FINALIZER_MACHINE]);
    fx.clock.advance(NOT_FOUND_GRACE_MS);
    expect(await fx.reconcile('m1')).toEqual({});
    expect(await fx.get('m1')).toBeUndefined();
  });

  it('finds an instance the cloud did not show at first (eventual consistency) and terminates it', async () => {
    fx.sim().addFaultRule({ op: 'create', kind: 'invisible', rate: 1, forMs: 30_000 });
    const created = await fx.createMachine('m1', record, [FINALIZER_MACHINE]);
    const hidden = await fx.sim().create(simCreateRequestFor(created));
    await fx.store.delete('Machine', key);
    await fx.reconcile('m1');
    fx.clock.advance(30_000);
    await fx.reconcile('m1');
    expect((await fx.sim().get(hidden.id))?.state).toBe('terminating');
    fx.clock.advance(30_000);
    expect(await fx.reconcile('m1')).toEqual({});
    expect(await fx.get('m1')).toBeUndefined();
  });
});

describe('termination never takes a refusal for proof of absence', () => {
  it('an invalid request (the key already made an instance) keeps the finalizer until the tagged instance is terminated', async () => {
    const created = await fx.createMachine('m1');
    // A crash left an instance of this Machine that the status never recorded; the next create with
    // another offering is refused precisely because that instance exists.
    const made = await fx.sim().create(simCreateRequestFor(created, { instanceType: 'sim.small' }));
    await fx.reconcile('m1');
    const failed = await fx.mustGet('m1');
    expect(failed.status).toMatchObject({ phase: 'Failed', failureReason: Reason.InvalidRequest });
    expect(failed.status?.instanceId).toBeUndefined();
    await fx.store.delete('Machine', key);
    expect(await fx.reconcile('m1')).toEqual({ requeueAfterMs: 2_000 });
    expect((await fx.sim().get(made.id))?.state).toBe('terminating');
    expect((await fx.mustGet('m1')).metadata.finalizers).toEqual([FINALIZER_MACHINE]);
    fx.clock.advance(1_000);
    expect(await fx.reconcile('m1')).toEqual({});
    expect(await fx.get('m1')).toBeUndefined();
    expect((await fx.sim().get(made.id))?.state).toBe('terminated');
  });

  it('without any account to look with, an invalid request is no proof either: the finalizer stays', async () => {
    const created = await fx.createMachine('m1');
    await fx.sim().create(simCreateRequestFor(created, { instanceType: 'sim.small' }));
    await fx.reconcile('m1');
    await fx.store.delete('Strategy', { namespace: NS, name: STRATEGY });
    await fx.store.delete('Machine', key);
    expect(await fx.reconcile('m1')).toEqual({ requeueAfterMs: 60_000 });
    expect((await fx.mustGet('m1')).metadata.finalizers).toEqual([FINALIZER_MACHINE]);
  });

  it('keeps the finalizer while the tag lookup fails', async () => {
    await runningMachine();
    await fx.store.delete('Machine', key);
    fx.sim().failNext('list', new ThrottledError('slow down', 'sim-a', 3_000));
    expect(await fx.reconcile('m1')).toEqual({ requeueAfterMs: 3_000 });
    expect((await fx.mustGet('m1')).metadata.finalizers).toEqual([FINALIZER_MACHINE]);
  });

  it('deletes a stopped instance and waits for it to terminate', async () => {
    const id = await runningMachine();
    await fx.sim().stop(id);
    await fx.store.delete('Machine', key);
    await fx.reconcile('m1');
    expect((await fx.sim().get(id))?.state).toBe('terminating');
    fx.clock.advance(1_000);
    await fx.reconcile('m1');
    expect(await fx.get('m1')).toBeUndefined();
    expect(await fx.sim().list({ managedBy: MANAGED_BY })).toEqual([]);
  });
});
