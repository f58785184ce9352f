import { EventEmitter } from 'node:events';
import { describe, expect, it } from '@jest/globals';
import type { Kind } from '../../api/index.js';
import type { Result } from '../controller/index.js';
import type { Watch, WatchEvent, WatchHealth } from '../store/index.js';
import { deferred, eventually, settle, type Deferred } from '../testing/async.js';
import { ManualElector } from '../testing/manual-elector.js';
import { testNodePool } from '../testing/objects.js';
import { NS, managerFixture } from './fixture.js';
import { AlwaysLeader } from './leader-elector.js';
import { stopOnSignals } from './signals.js';

/** A reconcile of NodePools that records each run and holds it open until released. */
function heldReconciles() {
  const runs: { name: string; signal: AbortSignal; release: Deferred<Result> }[] = [];
  return {
    runs,
    reconcile: (ctx: { signal: AbortSignal }, key: { name: string }) => {
      const release = deferred<Result>();
      runs.push({ name: key.name, signal: ctx.signal, release });
      return release.promise;
    },
  };
}

const readyChecks = (checks: { name: string; ok: boolean }[]) => Object.fromEntries(checks.map((c) => [c.name, c.ok]));

describe('Manager lifecycle', () => {
  it('starts no reconcile and is not ready until every watch has synced', async () => {
    const fx = managerFixture();
    const gate = deferred();
    const watch = fx.store.watch.bind(fx.store);
    fx.store.watch = <K extends Kind>(kind: K, handler: (e: WatchEvent<K>) => void): Watch => ({ ...watch(kind, handler), synced: gate.promise });
    const held = heldReconciles();
    fx.manager.register({ name: 'nodepool', kind: 'NodePool', reconcile: held.reconcile, owns: ['Machine'] });
    await fx.store.create(testNodePool(NS, 'a', 's'));
    expect(readyChecks(fx.manager.readiness())).toEqual({ manager: false, 'caches-synced': false });
    const starting = fx.manager.start();
    await settle();
    expect(readyChecks(fx.manager.readiness())).toEqual({ manager: true, 'caches-synced': false });
    expect(fx.manager.readiness().find((c) => c.name === 'caches-synced')?.detail).toBe('waiting for watches of NodePool, Machine');
    expect(held.runs).toEqual([]);
    gate.resolve();
    await starting;
    await eventually(() => held.runs.length === 1, 'the first reconcile');
    expect(readyChecks(fx.manager.readiness())).toEqual({ manager: true, 'caches-synced': true });
    held.runs[0]?.release.resolve({});
    await fx.manager.stop();
  });

  it('is not ready while a synced watch reports its feed broken (an informer restarting after a crash), and ready again once it is current', async () => {
    const fx = managerFixture();
    let health: WatchHealth = { ok: true };
    const watch = fx.store.watch.bind(fx.store);
    fx.store.watch = <K extends Kind>(kind: K, handler: (e: WatchEvent<K>) => void): Watch => ({
      ...watch(kind, handler),
      ...(kind === 'Machine' ? { health: () => health } : {}),
    });
    fx.manager.register({ name: 'nodepool', kind: 'NodePool', reconcile: () => Promise.resolve({}), owns: ['Machine'] });
    await fx.manager.start();
    expect(readyChecks(fx.manager.readiness())).toEqual({ manager: true, 'caches-synced': true });
    health = { ok: false, detail: 'the Machine informer crashed (boom) and has not re-listed yet' };
    expect(readyChecks(fx.manager.readiness())).toEqual({ manager: true, 'caches-synced': false });
    expect(fx.manager.readiness().find((c) => c.name === 'caches-synced')?.detail).toBe(
      'watch of Machine: the Machine informer crashed (boom) and has not re-listed yet',
    );
    health = { ok: true };
    expect(readyChecks(fx.manager.readiness())).toEqual({ manager: true, 'caches-synced': true });
    await fx.manager.stop();
  });

  it('stops gracefully: no new reconcile, running ones finish, then watches close and done resolves', async () => {
    const fx = managerFixture();
    const held = heldReconciles();
    fx.manager.register({ name: 'nodepool', kind: 'NodePool', reconcile: held.reconcile });
    await fx.store.create(testNodePool(NS, 'a', 's'));
    await fx.store.create(testNodePool(NS, 'b', 's'));
    await fx.manager.start();
    await eventually(() => held.runs.length === 1, 'the first reconcile');
    let stopped = false;
    const stopping = fx.manager.stop().then(() => (stopped = true));
    await settle();
    expect(stopped).toBe(false);
    expect(readyChecks(fx.manager.readiness()).manager).toBe(false);
    held.runs[0]?.release.resolve({});
    await stopping;
    expect(await fx.manager.done).toBe('shutdown');
    expect(held.runs.map((r) => r.name)).toEqual(['a']);
    expect(held.runs[0]?.signal.aborted).toBe(false);
    expect(fx.clock.pendingTimers()).toBe(0);
    await fx.store.create(testNodePool(NS, 'c', 's'));
    await settle();
    expect(held.runs).toHaveLength(1);
  });

  it('stops waiting at the grace deadline and aborts what still runs', async () => {
    const fx = managerFixture({ shutdownGraceMs: 10_000 });
    const held = heldReconciles();
    fx.manager.register({ name: 'nodepool', kind: 'NodePool', reconcile: held.reconcile });
    await fx.store.create(testNodePool(NS, 'a', 's'));
    await fx.manager.start();
    await eventually(() => held.runs.length === 1, 'the reconcile');
    const stopping = fx.manager.stop();
    await settle();
    fx.clock.advance(9_999);
    await settle();
    expect(held.runs[0]?.signal.aborted).toBe(false);
    fx.clock.advance(1);
    await stopping;
    expect(held.runs[0]?.signal.aborted).toBe(true);
    expect(fx.lines.find((l) => l.msg === 'stopped without waiting for running reconciles')).toMatchObject({ abandoned: 1 });
  });

  it('reconciles only while leading, and on losing leadership starts nothing more and ends', async () => {
    const elector = new ManualElector();
    const fx = managerFixture({ elector });
    const held = heldReconciles();
    fx.manager.register({ name: 'nodepool', kind: 'NodePool', reconcile: held.reconcile, maxConcurrentReconciles: 1 });
    const a = await fx.store.create(testNodePool(NS, 'a', 's'));
    await fx.store.create(testNodePool(NS, 'b', 's'));
    await fx.manager.start();
    await settle();
    expect(held.runs).toEqual([]);
    expect(readyChecks(fx.manager.readiness())).toEqual({ manager: true, 'caches-synced': true, 'leader-election': true });
    elector.grant();
    await eventually(() => held.runs.length === 1, 'the first reconcile');
    elector.revoke();
    expect(held.runs[0]?.signal.aborted).toBe(true);
    expect(readyChecks(fx.manager.readiness())['leader-election']).toBe(false);
    await fx.store.update({ ...a, spec: { ...a.spec, replicas: 5 } });
    held.runs[0]?.release.resolve({});
    expect(await fx.manager.done).toBe('leadership-lost');
    expect(held.runs.map((r) => r.name)).toEqual(['a']);
    expect(elector.stopped).toBe(true);
  });

  it('releases leadership only after running reconciles finished', async () => {
    const elector = new ManualElector();
    const fx = managerFixture({ elector });
    const held = heldReconciles();
    fx.manager.register({ name: 'nodepool', kind: 'NodePool', reconcile: held.reconcile });
    await fx.store.create(testNodePool(NS, 'a', 's'));
    await fx.manager.start();
    elector.grant();
    await eventually(() => held.runs.length === 1, 'the reconcile');
    const stopping = fx.manager.stop();
    await settle();
    expect(elector.stopped).toBe(false);
    held.runs[0]?.release.resolve({});
    await stopping;
    expect(elector.stopped).toBe(true);
    expect(await fx.manager.done).toBe('shutdown');
  });

  it('stops gracefully on the first SIGTERM and at once on the second', async () => {
    const fx = managerFixture();
    const held = heldReconciles();
    fx.manager.register({ name: 'nodepool', kind: 'NodePool', reconcile: held.reconcile });
    await fx.store.create(testNodePool(NS, 'a', 's'));
    await fx.manager.start();
    await eventually(() => held.runs.length === 1, 'the reconcile');
    const signals = new EventEmitter();
    const uninstall = stopOnSignals(fx.manager, fx.log, signals);
    signals.emit('SIGTERM');
    await settle();
    expect(held.runs[0]?.signal.aborted).toBe(false);
    signals.emit('SIGINT');
    expect(await fx.manager.done).toBe('shutdown');
    expect(held.runs[0]?.signal.aborted).toBe(true);
    uninstall();
    expect(signals.listenerCount('SIGTERM')).toBe(0);
  });

  it('stopped while syncing, it never starts reconciling', async () => {
    const fx = managerFixture();
    const watch = fx.store.watch.bind(fx.store);
    fx.store.watch = <K extends Kind>(kind: K, handler: (e: WatchEvent<K>) => void): Watch => ({ ...watch(kind, handler), synced: new Promise(() => {}) });
    const held = heldReconciles();
    fx.manager.register({ name: 'nodepool', kind: 'NodePool', reconcile: held.reconcile });
    await fx.store.create(testNodePool(NS, 'a', 's'));
    const starting = fx.manager.start();
    await fx.manager.stop();
    await starting;
    await settle();
    expect(held.runs).toEqual([]);
    expect(await fx.manager.done).toBe('shutdown');
  });
});

describe('Manager start failure', () => {
  it('stops and rejects with the store error when a watch cannot be opened', async () => {
    const fx = managerFixture();
    fx.store.watch = () => {
      throw new Error('kubeconfig names no cluster');
    };
    fx.manager.register({ name: 'nodepool', kind: 'NodePool', reconcile: () => Promise.resolve({}) });
    await expect(fx.manager.start()).rejects.toThrow('kubeconfig names no cluster');
    expect(await fx.manager.done).toBe('shutdown');
    expect(readyChecks(fx.manager.readiness()).manager).toBe(false);
  });
});

describe('AlwaysLeader', () => {
  it('leads from start until stop, and its stop does not count as leadership lost', async () => {
    const fx = managerFixture({ elector: new AlwaysLeader() });
    const held = heldReconciles();
    fx.manager.register({ name: 'nodepool', kind: 'NodePool', reconcile: held.reconcile });
    await fx.store.create(testNodePool(NS, 'a', 's'));
    await fx.manager.start();
    await eventually(() => held.runs.length === 1, 'the reconcile');
    expect(readyChecks(fx.manager.readiness())['leader-election']).toBe(true);
    held.runs[0]?.release.resolve({});
    await fx.manager.stop();
    expect(await fx.manager.done).toBe('shutdown');
    expect(fx.lines.some((l) => l.msg === 'lost leadership, stopping every reconcile')).toBe(false);
  });
});
