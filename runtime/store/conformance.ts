import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import type { Machine, NodePool } from '../../api/index.js';
import { AlreadyExistsError, ConflictError, InvalidError, NotFoundError } from './errors.js';
import { getReadOnly, listReadOnly, type Store, type WatchEvent } from './types.js';

/** What a backend under test provides to the one conformance suite every backend runs. */
export interface StoreHarness {
  /** A store on a fresh, empty state, in a namespace of its own if the backend is shared. */
  open(): Promise<{ store: Store; namespace: string }>;
  /** Closes and re-opens the same state (a process restart), for backends that persist. */
  reopen?(): Promise<Store>;
  /** The backend deletes dependents itself (a cluster leaves that to its garbage collector). */
  readonly cascades: boolean;
}

const nodePool = (namespace: string, name = 'workers'): NodePool => ({
  apiVersion: 'polyfleet.io/v1alpha1',
  kind: 'NodePool',
  metadata: { name, namespace, labels: { team: 'infra' } },
  spec: {
    replicas: 3,
    redundancy: '1:1',
    strategyRef: { name: 'cheap' },
    template: {},
    disruption: { maxUnavailable: 1 },
    readyTimeoutSeconds: 900,
    remediation: { maxUnhealthy: '40%', windowSeconds: 600 },
    dryRun: false,
    paused: false,
  },
});

const machine = (namespace: string, name: string, pool: NodePool): Machine => ({
  apiVersion: 'polyfleet.io/v1alpha1',
  kind: 'Machine',
  metadata: {
    name,
    namespace,
    labels: { 'polyfleet.io/pool': pool.metadata.name },
    ownerReferences: [
      { apiVersion: 'polyfleet.io/v1alpha1', kind: 'NodePool', name: pool.metadata.name, uid: pool.metadata.uid ?? '', controller: true },
    ],
  },
  spec: { pool: pool.metadata.name, provider: 'sim-a', providerType: 'sim', region: 'r1', zone: 'r1a', instanceType: 's1', slot: 0, failureDomain: 'sim-a/r1/r1a' },
});

/** Resolves when `predicate` holds for the events seen so far; fails the test after `ms`. */
function until<T>(events: T[], predicate: (events: T[]) => boolean, what: string, ms = 10_000): Promise<void> {
  return new Promise((done, fail) => {
    const started = Date.now();
    const poll = (): void => {
      if (predicate(events)) done();
      else if (Date.now() - started > ms) fail(new Error(`timed out waiting for ${what}; saw ${JSON.stringify(events)}`));
      else setTimeout(poll, 10);
    };
    poll();
  });
}

export function describeStoreConformance(backend: string, harness: StoreHarness): void {
  describe(`Store conformance: ${backend}`, () => {
    let store: Store;
    let ns: string;

    beforeEach(async () => {
      ({ store, namespace: ns } = await harness.open());
    });
    afterEach(async () => {
      await store.close();
    });

    it('creates with uid, resourceVersion, generation 1 and creationTimestamp; refuses a second create', async () => {
      const created = await store.create(nodePool(ns));
      expect(created.metadata.uid).toBeTruthy();
      expect(created.metadata.resourceVersion).toBeTruthy();
      expect(created.metadata.generation).toBe(1);
      expect(created.metadata.creationTimestamp).toBeTruthy();
      await expect(store.create(nodePool(ns))).rejects.toBeInstanceOf(AlreadyExistsError);
      expect((await store.get('NodePool', { namespace: ns, name: 'workers' }))?.metadata.uid).toBe(created.metadata.uid);
    });

    it('returns undefined for a missing object and NotFound for writes to one', async () => {
      expect(await store.get('NodePool', { namespace: ns, name: 'nope' })).toBeUndefined();
      await expect(store.delete('NodePool', { namespace: ns, name: 'nope' })).rejects.toBeInstanceOf(NotFoundError);
      await expect(store.patch('NodePool', { namespace: ns, name: 'nope' }, { type: 'merge', patch: { spec: { replicas: 1 } } })).rejects.toBeInstanceOf(
        NotFoundError,
      );
    });

    it('lists by namespace and label selector', async () => {
      await store.create(nodePool(ns, 'a'));
      await store.create({ ...nodePool(ns, 'b'), metadata: { name: 'b', namespace: ns, labels: { team: 'web' } } });
      const names = async (labelSelector: string) =>
        (await store.list('NodePool', { namespace: ns, labelSelector })).map((p) => p.metadata.name).sort();
      expect(await names('')).toEqual(['a', 'b']);
      expect(await names('team=web')).toEqual(['b']);
      expect(await names('team in (infra,ops)')).toEqual(['a']);
      expect(await names('team!=infra')).toEqual(['b']);
    });

    it('gets and lists read-only what get and list hold, and later writes do not show through what was handed out', async () => {
      await store.create(nodePool(ns, 'a'));
      const before = await listReadOnly(store, 'NodePool', { namespace: ns });
      expect(before).toEqual(await store.list('NodePool', { namespace: ns }));
      const got = await getReadOnly(store, 'NodePool', { namespace: ns, name: 'a' });
      expect(got).toEqual(await store.get('NodePool', { namespace: ns, name: 'a' }));
      const [a] = await store.list('NodePool', { namespace: ns });
      if (a === undefined) throw new Error('NodePool a was not listed');
      await store.update({ ...a, kind: 'NodePool', spec: { ...a.spec, replicas: 7 } });
      expect(before[0]?.spec.replicas).toBe(a.spec.replicas);
      expect(got?.spec.replicas).toBe(a.spec.replicas);
      expect((await listReadOnly(store, 'NodePool', { namespace: ns }))[0]?.spec.replicas).toBe(7);
    });

    it('rejects a stale resourceVersion with Conflict', async () => {
      const created = await store.create(nodePool(ns));
      const first = await store.update({ ...created, spec: { ...created.spec, replicas: 4 } });
      expect(first.metadata.resourceVersion).not.toBe(created.metadata.resourceVersion);
      await expect(store.update({ ...created, spec: { ...created.spec, replicas: 5 } })).rejects.toBeInstanceOf(ConflictError);
      await expect(store.updateStatus({ ...created, status: { replicas: 1 } })).rejects.toBeInstanceOf(ConflictError);
    });

    it('bumps generation on spec changes only', async () => {
      const created = await store.create(nodePool(ns));
      const labelled = await store.update({ ...created, metadata: { ...created.metadata, labels: { team: 'ops' } } });
      expect(labelled.metadata.generation).toBe(1);
      const withStatus = await store.updateStatus({ ...labelled, status: { replicas: 2 } });
      expect(withStatus.metadata.generation).toBe(1);
      const scaled = await store.update({ ...withStatus, spec: { ...withStatus.spec, replicas: 9 } });
      expect(scaled.metadata.generation).toBe(2);
    });

    it('writes status only through updateStatus, and updateStatus writes nothing else', async () => {
      const created = await store.create({ ...nodePool(ns), status: { replicas: 7 } });
      expect(created.status?.replicas).toBeUndefined();
      const updated = await store.update({ ...created, status: { replicas: 7 } });
      expect(updated.status?.replicas).toBeUndefined();
      const statused = await store.updateStatus({ ...updated, spec: { ...updated.spec, replicas: 99 }, status: { replicas: 7 } });
      expect(statused.status?.replicas).toBe(7);
      expect(statused.spec.replicas).toBe(3);
    });

    it('applies merge and JSON patches, with resourceVersion as a precondition', async () => {
      const created = await store.create(nodePool(ns));
      const merged = await store.patch('NodePool', { namespace: ns, name: 'workers' }, { type: 'merge', patch: { spec: { replicas: 5 } } });
      expect(merged.spec.replicas).toBe(5);
      expect(merged.metadata.generation).toBe(2);
      const json = await store.patch('NodePool', { namespace: ns, name: 'workers' }, {
        type: 'json',
        ops: [{ op: 'add', path: '/metadata/finalizers', value: ['polyfleet.io/test'] }],
      });
      expect(json.metadata.finalizers).toEqual(['polyfleet.io/test']);
      await expect(
        store.patch('NodePool', { namespace: ns, name: 'workers' }, {
          type: 'merge',
          patch: { metadata: { resourceVersion: created.metadata.resourceVersion }, spec: { replicas: 1 } },
        }),
      ).rejects.toBeInstanceOf(ConflictError);
      await store.patch('NodePool', { namespace: ns, name: 'workers' }, { type: 'json', ops: [{ op: 'remove', path: '/metadata/finalizers' }] });
    });

    it('refuses an invalid object and names the field', async () => {
      const bad = { ...nodePool(ns), spec: { ...nodePool(ns).spec, redundancy: '3x' } };
      const error = await store.create(bad).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(InvalidError);
      expect((error as InvalidError).causes.map((c) => c.path)).toContain('spec.redundancy');
    });

    it('holds a deleted object with finalizers until the last finalizer goes', async () => {
      const created = await store.create({ ...nodePool(ns), metadata: { ...nodePool(ns).metadata, finalizers: ['polyfleet.io/a', 'polyfleet.io/b'] } });
      await store.delete('NodePool', { namespace: ns, name: 'workers' });
      const deleting = await store.get('NodePool', { namespace: ns, name: 'workers' });
      expect(deleting?.metadata.deletionTimestamp).toBeTruthy();
      expect(deleting?.metadata.uid).toBe(created.metadata.uid);
      if (!deleting) throw new Error('gone too early');
      const one = await store.update({ ...deleting, metadata: { ...deleting.metadata, finalizers: ['polyfleet.io/b'] } });
      expect(await store.get('NodePool', { namespace: ns, name: 'workers' })).toBeDefined();
      await store.update({ ...one, metadata: { ...one.metadata, finalizers: [] } });
      expect(await eventually(() => store.get('NodePool', { namespace: ns, name: 'workers' }), (p) => p === undefined)).toBeUndefined();
    });

    it('deletes only the object with the given uid', async () => {
      await store.create(nodePool(ns));
      await expect(store.delete('NodePool', { namespace: ns, name: 'workers' }, { uid: 'not-this-one' })).rejects.toBeInstanceOf(ConflictError);
      await store.delete('NodePool', { namespace: ns, name: 'workers' });
    });

    it('watches: ADDED for what exists, then every change in order, until stopped', async () => {
      await store.create(nodePool(ns, 'before'));
      const events: WatchEvent<'NodePool'>[] = [];
      const watch = store.watch('NodePool', (e) => events.push(e), { namespace: ns });
      await until(events, (es) => es.some((e) => e.type === 'ADDED' && e.object.metadata.name === 'before'), 'ADDED before');
      const created = await store.create(nodePool(ns, 'after'));
      await store.update({ ...created, spec: { ...created.spec, replicas: 8 } });
      await store.delete('NodePool', { namespace: ns, name: 'after' });
      const seen = (es: WatchEvent<'NodePool'>[]) => es.filter((e) => e.object.metadata.name === 'after').map((e) => e.type);
      await until(events, (es) => seen(es).includes('DELETED'), 'DELETED after');
      expect(seen(events)).toEqual(['ADDED', 'MODIFIED', 'DELETED']);
      watch.stop();
      const count = events.length;
      await store.create(nodePool(ns, 'unseen'));
      await store.get('NodePool', { namespace: ns, name: 'unseen' });
      expect(events.length).toBe(count);
    });

    it('watches: synced resolves only after ADDED for every object that existed', async () => {
      const names = ['a', 'b', 'c'];
      for (const name of names) await store.create(nodePool(ns, name));
      const added: string[] = [];
      const watch = store.watch('NodePool', (e) => {
        if (e.type === 'ADDED') added.push(e.object.metadata.name);
      }, { namespace: ns });
      await watch.synced;
      expect(added.slice().sort()).toEqual(names);
      watch.stop();
    });

    if (harness.cascades) {
      it('deletes owned objects after their owner', async () => {
        const pool = await store.create(nodePool(ns));
        await store.create(machine(ns, 'workers-0', pool));
        await store.create(machine(ns, 'workers-1', pool));
        await store.delete('NodePool', { namespace: ns, name: 'workers' });
        expect(await eventually(() => store.list('Machine', { namespace: ns }), (ms) => ms.length === 0)).toEqual([]);
      });
    }

    const reopen = harness.reopen?.bind(harness);
    if (reopen) {
      it('keeps every acknowledged write across a restart, and a new watch replays it', async () => {
        const created = await store.create(nodePool(ns));
        await store.updateStatus({ ...created, status: { replicas: 3 } });
        await store.close();
        store = await reopen();
        const back = await store.get('NodePool', { namespace: ns, name: 'workers' });
        expect(back?.status?.replicas).toBe(3);
        expect(back?.metadata.uid).toBe(created.metadata.uid);
        const events: WatchEvent<'NodePool'>[] = [];
        const watch = store.watch('NodePool', (e) => events.push(e), { namespace: ns });
        await until(events, (es) => es.length === 1, 'the replayed object');
        watch.stop();
        expect(events[0]?.type).toBe('ADDED');
      });
    }
  });
}

/** Polls `read` until `done` holds (a cluster applies deletes asynchronously); at most 10 s. */
async function eventually<T>(read: () => Promise<T>, done: (value: T) => boolean): Promise<T> {
  const started = Date.now();
  for (;;) {
    const value = await read();
    if (done(value) || Date.now() - started > 10_000) return value;
    await new Promise((r) => setTimeout(r, 20));
  }
}
