import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { ConditionType, FINALIZER_MACHINE } from '../../api/index.js';
import { leakCollector } from '../gc/index.js';
import { findCondition, LEGACY_MANAGED_BY } from '../shared/index.js';
import { machineFixture, NS, simCreateRequestFor, STRATEGY, type MachineFixture } from './fixture.js';
import { NOT_FOUND_GRACE_MS } from './observe-instance.js';

let fx: MachineFixture;
beforeEach(async () => {
  fx = await machineFixture({ createLatencyMs: 0 });
  await fx.createStrategy();
  await fx.createPool();
});
afterEach(() => fx.close());

/** Machine `name` Running on instance `instanceId`, as a previous process left it. */
async function runningOn(name: string, instanceId: string): Promise<void> {
  const m = await fx.mustGet(name);
  await fx.store.updateStatus({ ...m, kind: 'Machine', status: { phase: 'Running', instanceId, createdAt: fx.clock.now().toISOString() } });
}

/** Counts the sim account's `list` calls from now on. */
function countLists(): () => number {
  let lists = 0;
  const sim = fx.sim();
  const list = sim.list.bind(sim);
  sim.list = (filter) => {
    lists += 1;
    return list(filter);
  };
  return () => lists;
}

describe('observing through the shared listing', () => {
  it('still sees an instance under the pre-identity managed-by tag', async () => {
    const machine = await fx.createMachine('m1', {}, [FINALIZER_MACHINE]);
    const legacy = await fx.sim().create(simCreateRequestFor(machine, { managedBy: LEGACY_MANAGED_BY }));
    await runningOn('m1', legacy.id);
    fx.clock.advance(1_000);
    expect(await fx.reconcile('m1')).toEqual({ requeueAfterMs: 30_000 });
    const m = await fx.mustGet('m1');
    expect(m.status).toMatchObject({ phase: 'Running', instanceId: legacy.id });
    expect(findCondition(m.status?.conditions, ConditionType.Ready)).toMatchObject({ status: 'True' });
  });

  it('adopts an instance carrying the Machine tag (under the pre-identity tag too) once the recorded one has been missing for the grace', async () => {
    const machine = await fx.createMachine('m1', {}, [FINALIZER_MACHINE]);
    const tagged = await fx.sim().create(simCreateRequestFor(machine, { managedBy: LEGACY_MANAGED_BY }));
    await runningOn('m1', 'sim-a-never-existed');
    fx.clock.advance(1_000);
    expect(await fx.reconcile('m1')).toEqual({ requeueAfterMs: 30_000 });
    expect((await fx.mustGet('m1')).status?.instanceNotFoundSince).toBeDefined();
    fx.clock.advance(NOT_FOUND_GRACE_MS);
    await fx.reconcile('m1');
    const m = await fx.mustGet('m1');
    expect(m.status).toMatchObject({ phase: 'Running', instanceId: tagged.id });
    expect(m.status?.instanceNotFoundSince).toBeUndefined();
  });

  it('a failed listing proves nothing: the not-found clock does not start, and the grace needs successful listings', async () => {
    const machine = await fx.createMachine('m1', {}, [FINALIZER_MACHINE]);
    const instance = await fx.sim().create(simCreateRequestFor(machine));
    await runningOn('m1', instance.id);
    await fx.sim().kill(instance.id, 'vanish');
    fx.clock.advance(1_000);
    fx.sim().failNext('list', 'transient');
    await expect(fx.reconcile('m1')).rejects.toThrow();
    expect((await fx.mustGet('m1')).status?.instanceNotFoundSince).toBeUndefined();
    fx.clock.advance(NOT_FOUND_GRACE_MS);
    await fx.reconcile('m1');
    // The first successful listing that missed it starts the clock; nothing fails yet.
    expect((await fx.mustGet('m1')).status).toMatchObject({ phase: 'Running', instanceNotFoundSince: '2026-01-01T00:01:01Z' });
  });

  it('the leak collector reads the listing the Machines of a region just made instead of listing again', async () => {
    const strategy = await fx.store.get('Strategy', { namespace: NS, name: STRATEGY });
    if (strategy === undefined) throw new Error('no Strategy');
    await fx.store.update({ ...strategy, kind: 'Strategy', spec: { ...strategy.spec, providers: strategy.spec.providers.map((p) => ({ ...p, regions: ['na-east'] })) } });
    const machine = await fx.createMachine('m1', {}, [FINALIZER_MACHINE]);
    const instance = await fx.sim().create(simCreateRequestFor(machine));
    await runningOn('m1', instance.id);
    fx.clock.advance(1_000);
    const lists = countLists();
    await fx.reconcile('m1');
    const afterMachine = lists();
    expect(afterMachine).toBeGreaterThan(0);
    // The account names its regions, so the collector reads them one by one, as the Machines do.
    await leakCollector(fx.deps).reconcile(fx.ctx, { namespace: NS, name: STRATEGY });
    expect(lists()).toBe(afterMachine);
  });
});
