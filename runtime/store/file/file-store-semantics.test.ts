import { afterAll, afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { InvalidError, isConflict } from '../errors.js';
import type { WatchEvent } from '../types.js';
import { machine, nodePool, removeTempDirs, silentLogger, tempStatePath, until } from './fixture.js';
import { openFileStore, type FileStore } from './file-store.js';

const key = (name: string) => ({ namespace: 'default', name });
let store: FileStore;
let path: string;

beforeEach(async () => {
  path = tempStatePath();
  store = await openFileStore({ path, logger: silentLogger });
});
afterEach(() => store.close());
afterAll(removeTempDirs);

async function invalidPaths(write: Promise<unknown>): Promise<string[]> {
  const error = await write.then(() => undefined, (e: unknown) => e);
  expect(error).toBeInstanceOf(InvalidError);
  return (error as InvalidError).causes.map((c) => c.path);
}

describe('file store: API server rules beyond the conformance suite', () => {
  it('leaves resourceVersion alone on a write that changes nothing', async () => {
    const created = await store.create(nodePool());
    const same = await store.update(created);
    expect(same.metadata.resourceVersion).toBe(created.metadata.resourceVersion);
    expect(store.revision).toBe(Number(created.metadata.resourceVersion));
  });

  it('applies schema defaults on write, as the API server does', async () => {
    const sparse = { apiVersion: 'polyfleet.io/v1alpha1', kind: 'NodePool', metadata: { name: 'sparse' }, spec: { strategyRef: { name: 's' } } };
    const created = await store.create(sparse as never);
    expect(created.spec).toMatchObject({ replicas: 1, redundancy: '1:1', dryRun: false });
    expect(created.metadata.namespace).toBe('default');
  });

  it('bumps generation when deletion starts, and refuses new finalizers while deleting', async () => {
    await store.create({ ...nodePool(), metadata: { ...nodePool().metadata, finalizers: ['polyfleet.io/a'] } });
    await store.delete('NodePool', key('workers'));
    const deleting = await store.get('NodePool', key('workers'));
    expect(deleting?.metadata.generation).toBe(2);
    if (!deleting) throw new Error('gone');
    expect(await invalidPaths(store.update({ ...deleting, metadata: { ...deleting.metadata, finalizers: ['polyfleet.io/a', 'polyfleet.io/b'] } }))).toEqual([
      'metadata.finalizers',
    ]);
  });

  it('refuses a create with a resourceVersion, an update without one, and a bad namespace', async () => {
    expect(await invalidPaths(store.create({ ...nodePool(), metadata: { name: 'a', resourceVersion: '5' } }))).toEqual(['metadata.resourceVersion']);
    const created = await store.create(nodePool());
    expect(await invalidPaths(store.update({ ...created, metadata: { ...created.metadata, resourceVersion: undefined } }))).toEqual([
      'metadata.resourceVersion',
    ]);
    expect(await invalidPaths(store.create(nodePool('x', 'Not/A-Label')))).toEqual(['metadata.namespace']);
  });

  it('refuses a patch that renames the object or fails a test operation', async () => {
    await store.create(nodePool());
    expect(await invalidPaths(store.patch('NodePool', key('workers'), { type: 'merge', patch: { metadata: { name: 'other' } } }))).toEqual(['metadata.name']);
    expect(await invalidPaths(store.patch('NodePool', key('workers'), { type: 'json', ops: [{ op: 'test', path: '/spec/replicas', value: 9 }] }))).toEqual([
      '/spec/replicas',
    ]);
  });

  it('hands out copies: editing a returned object changes nothing stored', async () => {
    const created = await store.create(nodePool());
    created.spec.replicas = 42;
    const [listed] = await store.list('NodePool');
    if (listed) listed.spec.replicas = 43;
    expect((await store.get('NodePool', key('workers')))?.spec.replicas).toBe(1);
  });
});

describe('file store: owner cascade', () => {
  it('deletes dependents recursively, and only after the owner, in one transaction', async () => {
    const pool = await store.create(nodePool());
    const parent = await store.create(machine('parent', [{ kind: 'NodePool', name: 'workers', uid: pool.metadata.uid }]));
    await store.create(machine('child', [{ kind: 'Machine', name: 'parent', uid: parent.metadata.uid }]));
    const events: WatchEvent<'Machine' | 'NodePool'>[] = [];
    const watches = [store.watch('NodePool', (e) => events.push(e)), store.watch('Machine', (e) => events.push(e))];
    await Promise.all(watches.map((w) => w.synced));
    events.length = 0;
    const before = store.revision;
    await store.delete('NodePool', key('workers'));
    expect(await store.list('Machine')).toEqual([]);
    expect(store.revision).toBe(before + 1);
    await until(() => events.length === 3, 'three DELETED events');
    expect(events.map((e) => `${e.type} ${e.object.metadata.name}`).sort()).toEqual(['DELETED child', 'DELETED parent', 'DELETED workers']);
    for (const w of watches) w.stop();
  });

  it('marks a dependent with finalizers deleting and keeps it until they go', async () => {
    const pool = await store.create(nodePool());
    await store.create(machine('m', [{ kind: 'NodePool', name: 'workers', uid: pool.metadata.uid }], ['polyfleet.io/instance']));
    await store.delete('NodePool', key('workers'));
    const m = await store.get('Machine', key('m'));
    expect(m?.metadata.deletionTimestamp).toBeTruthy();
    if (!m) throw new Error('gone too early');
    await store.update({ ...m, metadata: { ...m.metadata, finalizers: [] } });
    expect(await store.get('Machine', key('m'))).toBeUndefined();
  });

  it('keeps a dependent while another owner lives, and ignores owners of kinds it does not hold', async () => {
    const a = await store.create(nodePool('a'));
    const b = await store.create(nodePool('b'));
    await store.create(machine('shared', [{ kind: 'NodePool', name: 'a', uid: a.metadata.uid }, { kind: 'NodePool', name: 'b', uid: b.metadata.uid }]));
    await store.create(machine('foreign', [{ kind: 'Deployment', name: 'x', uid: 'not-ours' }]));
    await store.delete('NodePool', key('a'));
    expect((await store.list('Machine')).map((m) => m.metadata.name)).toEqual(['foreign', 'shared']);
  });

  it('collects an object created for an owner that is already gone', async () => {
    const created = await store.create(machine('orphan', [{ kind: 'NodePool', name: 'gone', uid: 'no-such-uid' }]));
    expect(created.metadata.uid).toBeTruthy();
    expect(await store.get('Machine', key('orphan'))).toBeUndefined();
  });
});

describe('file store: several stores on one file', () => {
  it('sees the other store\'s writes through its watch, and their resourceVersions form one sequence', async () => {
    const other = await openFileStore({ path, logger: silentLogger, pollIntervalMs: 20 });
    try {
      const seen: string[] = [];
      const watch = other.watch('NodePool', (e) => seen.push(`${e.type} ${e.object.metadata.name} ${e.object.metadata.resourceVersion ?? ''}`));
      const a = await store.create(nodePool('a'));
      const b = await other.create(nodePool('b'));
      expect(Number(b.metadata.resourceVersion)).toBe(Number(a.metadata.resourceVersion) + 1);
      await until(() => seen.length === 2, 'both ADDED');
      expect(seen).toEqual([`ADDED a ${a.metadata.resourceVersion ?? ''}`, `ADDED b ${b.metadata.resourceVersion ?? ''}`]);
      const stale = await other.get('NodePool', key('a'));
      await store.update({ ...a, spec: { ...a.spec, replicas: 2 } });
      if (!stale) throw new Error('missing');
      const conflict = await other.update({ ...stale, spec: { ...stale.spec, replicas: 3 } }).catch((e: unknown) => e);
      expect(isConflict(conflict)).toBe(true);
      watch.stop();
    } finally {
      await other.close();
    }
  });
});
