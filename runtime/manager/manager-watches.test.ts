import { describe, expect, it } from '@jest/globals';
import { API_VERSION, type NodePool, type ObjectMeta } from '../../api/index.js';
import { eventually, settle } from '../testing/async.js';
import { testMachine, testNodePool, testStrategy } from '../testing/objects.js';
import { NS, managerFixture, recorder } from './fixture.js';
import { mapKind } from './registration.js';
import { enqueueObject } from './watch-handlers.js';

/** Waits until the recorder saw `expected` (in any order), then checks nothing else ran. */
async function expectReconciled(seen: string[], expected: string[]): Promise<void> {
  await eventually(() => expected.every((k) => seen.includes(k)), `reconciles of ${expected.join(', ')}`);
  await settle();
  expect([...new Set(seen)].sort()).toEqual([...expected].sort());
}

async function started() {
  const fx = managerFixture();
  const pools = recorder();
  fx.manager.register({
    name: 'nodepool',
    kind: 'NodePool',
    reconcile: pools.reconcile,
    owns: ['Machine'],
    watches: [
      mapKind('Strategy', async (strategy) => {
        const all = await fx.store.list('NodePool', { namespace: strategy.metadata.namespace ?? NS });
        return all.filter((p) => p.spec.strategyRef.name === strategy.metadata.name).map((p) => ({ namespace: NS, name: p.metadata.name }));
      }),
    ],
  });
  const cheap = await fx.store.create(testStrategy(NS, 'cheap'));
  await fx.store.create(testStrategy(NS, 'other'));
  const a = await fx.store.create(testNodePool(NS, 'a', 'cheap'));
  await fx.store.create(testNodePool(NS, 'b', 'cheap'));
  const c = await fx.store.create(testNodePool(NS, 'c', 'other'));
  const machine = await fx.store.create(testMachine(a, 'a-0'));
  await fx.manager.start();
  return { ...fx, pools, cheap, a, c, machine };
}

describe('Manager watches', () => {
  it('reconciles every object that existed before start, once caches synced', async () => {
    const { pools, manager } = await started();
    await expectReconciled(pools.seen, ['default/a', 'default/b', 'default/c']);
    await manager.stop();
  });

  it('routes a change of the primary kind to its own key', async () => {
    const { pools, store, manager, c } = await started();
    await expectReconciled(pools.seen, ['default/a', 'default/b', 'default/c']);
    pools.clear();
    await store.update({ ...c, spec: { ...c.spec, replicas: 4 } });
    await expectReconciled(pools.seen, ['default/c']);
    await manager.stop();
  });

  it('does not reconcile an object again for a change of its status alone, but for any metadata change, a deletion and a resync', async () => {
    const { pools, store, manager, c } = await started();
    await expectReconciled(pools.seen, ['default/a', 'default/b', 'default/c']);
    pools.clear();
    let current = c;
    for (const message of ['request id 1', 'request id 2', 'request id 3']) {
      current = await store.updateStatus({ ...current, status: { conditions: [{ type: 'Ready', status: 'False', reason: 'CloudError', message, lastTransitionTime: '2025-01-01T00:00:00Z' }] } });
    }
    // A marker change of another pool proves the status events were delivered first.
    const a = await store.get('NodePool', { namespace: NS, name: 'a' });
    if (a) await store.update({ ...a, metadata: { ...a.metadata, labels: { marker: '1' } } });
    await expectReconciled(pools.seen, ['default/a']);
    const edits: [string, Partial<ObjectMeta>][] = [
      ['labels', { labels: { l: '1' } }],
      ['annotations', { annotations: { note: 'x' } }],
      ['finalizers', { finalizers: ['polyfleet.io/nodepool'] }],
      ['ownerReferences', { ownerReferences: [{ apiVersion: API_VERSION, kind: 'Strategy', name: 'cheap', uid: 'u' }] }],
      ['deletionTimestamp', { deletionTimestamp: '2025-01-01T00:00:00Z' }],
    ];
    for (const [change, edit] of edits) {
      pools.clear();
      current = await store.update({ ...current, metadata: { ...current.metadata, ...edit } });
      await expectReconciled(pools.seen, ['default/c']).catch((err: unknown) => {
        throw new Error(`a change of ${change} was not reconciled`, { cause: err });
      });
    }
    pools.clear();
    await store.update({ ...current, spec: { ...current.spec, replicas: 9 } });
    await expectReconciled(pools.seen, ['default/c']);
    await manager.stop();
  });

  it('passes a resync (the same resourceVersion again) and an object deleted and made again, even with status alone changed', () => {
    const keys: string[] = [];
    const handler = enqueueObject((k) => keys.push(k.name));
    const pool = { ...testNodePool(NS, 'p', 'cheap'), metadata: { name: 'p', namespace: NS, uid: 'u1', resourceVersion: '5', generation: 1 } };
    const withStatus = (rv: string, message: string): NodePool => ({
      ...pool,
      metadata: { ...pool.metadata, resourceVersion: rv },
      status: { conditions: [{ type: 'Ready', status: 'False', reason: 'CloudError', message, lastTransitionTime: '2025-01-01T00:00:00Z' }] },
    });
    handler({ type: 'ADDED', object: pool });
    handler({ type: 'MODIFIED', object: withStatus('6', 'x') });
    expect(keys).toEqual(['p']);
    handler({ type: 'MODIFIED', object: withStatus('6', 'x') });
    expect(keys).toEqual(['p', 'p']);
    handler({ type: 'DELETED', object: withStatus('7', 'x') });
    handler({ type: 'MODIFIED', object: withStatus('8', 'y') }); // nothing remembered: passes
    handler({ type: 'MODIFIED', object: { ...withStatus('9', 'z'), metadata: { ...pool.metadata, uid: 'u2', resourceVersion: '9' } } });
    expect(keys).toEqual(['p', 'p', 'p', 'p', 'p']);
  });

  it('routes a change of an owned kind to its controller owner, and a moved object to both owners', async () => {
    const { pools, store, manager, machine, c } = await started();
    await expectReconciled(pools.seen, ['default/a', 'default/b', 'default/c']);
    pools.clear();
    const updated = await store.update({ ...machine, metadata: { ...machine.metadata, labels: { touched: 'yes' } } });
    await expectReconciled(pools.seen, ['default/a']);
    pools.clear();
    const ownerC = [{ apiVersion: API_VERSION, kind: 'NodePool', name: 'c', uid: c.metadata.uid ?? '', controller: true }];
    const moved = await store.update({ ...updated, metadata: { ...updated.metadata, ownerReferences: ownerC } });
    await expectReconciled(pools.seen, ['default/a', 'default/c']);
    pools.clear();
    await store.delete('Machine', { namespace: NS, name: moved.metadata.name });
    await expectReconciled(pools.seen, ['default/c']);
    await manager.stop();
  });

  it('with ownedChangeDelayMs, reconciles the owner once per window however many owned changes came', async () => {
    const fx = managerFixture();
    const pools = recorder();
    fx.manager.register({ name: 'nodepool', kind: 'NodePool', reconcile: pools.reconcile, owns: ['Machine'], ownedChangeDelayMs: 100 });
    const pool = await fx.store.create(testNodePool(NS, 'a', 'cheap'));
    await fx.manager.start();
    await expectReconciled(pools.seen, ['default/a']);
    pools.clear();
    let machine = await fx.store.create(testMachine(pool, 'a-0'));
    for (const touched of ['1', '2', '3']) machine = await fx.store.update({ ...machine, metadata: { ...machine.metadata, labels: { touched } } });
    await settle();
    fx.clock.advance(99);
    await settle();
    expect(pools.seen).toEqual([]);
    fx.clock.advance(1);
    await expectReconciled(pools.seen, ['default/a']);
    expect(pools.seen).toHaveLength(1);
    // The owner's own changes are never delayed.
    pools.clear();
    await fx.store.update({ ...pool, spec: { ...pool.spec, replicas: 4 } });
    await expectReconciled(pools.seen, ['default/a']);
    await fx.manager.stop();
  });

  it('ignores owners that are not the controller owner or not of the primary kind', async () => {
    const { pools, store, manager, a } = await started();
    await expectReconciled(pools.seen, ['default/a', 'default/b', 'default/c']);
    pools.clear();
    const base = testMachine(a, 'stray');
    const notController = { apiVersion: API_VERSION, kind: 'NodePool', name: 'b', uid: 'u', controller: false };
    const otherKind = { apiVersion: API_VERSION, kind: 'Strategy', name: 'c', uid: 'u2', controller: true };
    await store.create({ ...base, metadata: { ...base.metadata, ownerReferences: [notController, otherKind] } });
    const foreignGroup = { apiVersion: 'example.com/v1', kind: 'NodePool', name: 'b', uid: 'u3', controller: true };
    await store.create({ ...base, metadata: { ...base.metadata, name: 'foreign', ownerReferences: [foreignGroup] } });
    // A marker change proves the watch delivered the strays first; only it may be reconciled.
    const marker = await store.get('NodePool', { namespace: NS, name: 'a' });
    if (marker) await store.update({ ...marker, metadata: { ...marker.metadata, labels: { marker: '1' } } });
    await expectReconciled(pools.seen, ['default/a']);
    await manager.stop();
  });

  it('routes a change of a mapped kind to every key the map returns', async () => {
    const { pools, store, manager, cheap } = await started();
    await expectReconciled(pools.seen, ['default/a', 'default/b', 'default/c']);
    pools.clear();
    await store.update({ ...cheap, metadata: { ...cheap.metadata, labels: { tier: 'gold' } } });
    await expectReconciled(pools.seen, ['default/a', 'default/b']);
    await manager.stop();
  });

  it('logs a failing map function and keeps watching', async () => {
    const fx = managerFixture();
    const pools = recorder();
    fx.manager.register({
      name: 'nodepool',
      kind: 'NodePool',
      reconcile: pools.reconcile,
      watches: [mapKind('Strategy', (s) => (s.metadata.name === 'bad' ? Promise.reject(new Error('list failed')) : [{ namespace: NS, name: 'p' }]))],
    });
    await fx.manager.start();
    await fx.store.create(testStrategy(NS, 'bad'));
    await fx.store.create(testStrategy(NS, 'good'));
    await expectReconciled(pools.seen, ['default/p']);
    expect(fx.lines.find((l) => l.msg === 'mapping a watched object to keys failed')).toMatchObject({ watchedKind: 'Strategy', watched: 'default/bad' });
    await fx.manager.stop();
  });

  it('opens one watch per kind however many controllers watch it', async () => {
    const fx = managerFixture();
    let watchCalls = 0;
    const watch = fx.store.watch.bind(fx.store);
    fx.store.watch = (...args) => {
      watchCalls++;
      return watch(...args);
    };
    fx.manager.register({ name: 'nodepool', kind: 'NodePool', reconcile: recorder().reconcile, owns: ['Machine'] });
    fx.manager.register({ name: 'machine', kind: 'Machine', reconcile: recorder().reconcile });
    await fx.manager.start();
    expect(watchCalls).toBe(2);
    await fx.manager.stop();
  });

  it('refuses a second controller of the same name, and registration after start', async () => {
    const fx = managerFixture();
    fx.manager.register({ name: 'nodepool', kind: 'NodePool', reconcile: recorder().reconcile });
    expect(() => {
      fx.manager.register({ name: 'nodepool', kind: 'NodePool', reconcile: recorder().reconcile });
    }).toThrow(/already registered/);
    await fx.manager.start();
    expect(() => {
      fx.manager.register({ name: 'machine', kind: 'Machine', reconcile: recorder().reconcile });
    }).toThrow(/before the manager starts/);
    await fx.manager.stop();
  });
});
