import { describe, expect, it } from '@jest/globals';
import { ObjectCache, type CachedObject } from './object-cache.js';

interface Obj extends CachedObject {
  readonly metadata: { name: string; namespace: string; uid: string; resourceVersion: string; deletionTimestamp?: string; finalizers?: string[] };
  readonly spec: { n: number };
}

const obj = (name: string, rv: number, n = 0, uid = `uid-${name}`): Obj => ({
  metadata: { name, namespace: 'ns', uid, resourceVersion: String(rv) },
  spec: { n },
});

const types = (changes: readonly { type: string; object: Obj }[]) => changes.map((c) => `${c.type} ${c.object.metadata.name}@${c.object.metadata.resourceVersion}`);

describe('ObjectCache', () => {
  it('takes watch events in order and reports what changed', () => {
    const cache = new ObjectCache<Obj>();
    expect(cache.applyWatchEvent('ADDED', obj('a', 1))?.type).toBe('ADDED');
    expect(cache.applyWatchEvent('MODIFIED', obj('a', 2, 1))?.type).toBe('MODIFIED');
    expect(cache.get('ns', 'a')?.spec.n).toBe(1);
    expect(cache.applyWatchEvent('DELETED', obj('a', 3, 1))?.type).toBe('DELETED');
    expect(cache.get('ns', 'a')).toBeUndefined();
    expect(cache.size).toBe(0);
  });

  it('lets a write response in before its watch event, and the watch event then changes nothing', () => {
    const cache = new ObjectCache<Obj>();
    cache.applyWatchEvent('ADDED', obj('a', 1));
    const seq = cache.beginWrite();
    expect(cache.applyWrite(obj('a', 5, 9))?.type).toBe('MODIFIED');
    cache.endWrite(seq);
    expect(cache.applyWatchEvent('MODIFIED', obj('a', 5, 9))).toBeUndefined();
    expect(cache.get('ns', 'a')?.spec.n).toBe(9);
  });

  it('never lets an older copy replace a newer one, from either side', () => {
    const cache = new ObjectCache<Obj>();
    cache.applyWatchEvent('ADDED', obj('a', 10, 1));
    expect(cache.applyWrite(obj('a', 9, 2))).toBeUndefined();
    cache.applyWrite(obj('a', 12, 3));
    expect(cache.applyWatchEvent('MODIFIED', obj('a', 11, 4))).toBeUndefined();
    expect(cache.get('ns', 'a')?.spec.n).toBe(3);
  });

  it('compares versions numerically, not as strings', () => {
    const cache = new ObjectCache<Obj>();
    cache.applyWatchEvent('ADDED', obj('a', 9));
    expect(cache.applyWrite(obj('a', 10, 1))?.type).toBe('MODIFIED');
  });

  it('does not bring back an object whose deletion the watch reported while a write was in flight', () => {
    const cache = new ObjectCache<Obj>();
    cache.applyWatchEvent('ADDED', obj('a', 1));
    const seq = cache.beginWrite();
    cache.applyWatchEvent('DELETED', obj('a', 3));
    expect(cache.applyWrite(obj('a', 2, 7))).toBeUndefined();
    cache.endWrite(seq);
    expect(cache.get('ns', 'a')).toBeUndefined();
    expect(cache.applyWrite(obj('a', 4, 0, 'uid-new'))?.type).toBe('ADDED');
  });

  it('removes what this process deleted at once, and ignores the older watch events still coming', () => {
    const cache = new ObjectCache<Obj>();
    cache.applyWatchEvent('ADDED', obj('a', 1));
    const seq = cache.beginWrite();
    expect(cache.applyDeleted('ns', 'a', 'uid-a')?.type).toBe('DELETED');
    cache.endWrite(seq);
    expect(cache.applyWatchEvent('MODIFIED', obj('a', 2))).toBeUndefined();
    expect(cache.applyWatchEvent('DELETED', obj('a', 3))).toBeUndefined();
    expect(cache.get('ns', 'a')).toBeUndefined();
    expect(cache.applyWatchEvent('ADDED', obj('a', 4, 0, 'uid-again'))?.type).toBe('ADDED');
  });

  it('treats a write answered with a deleting object without finalizers as its deletion', () => {
    const cache = new ObjectCache<Obj>();
    cache.applyWatchEvent('ADDED', obj('a', 1));
    const gone = { ...obj('a', 2), metadata: { ...obj('a', 2).metadata, deletionTimestamp: '2025-01-01T00:00:00Z', finalizers: [] } };
    expect(cache.applyWrite(gone)?.type).toBe('DELETED');
    expect(cache.applyWatchEvent('MODIFIED', gone)).toBeUndefined();
    const deleting = { ...gone, metadata: { ...gone.metadata, uid: 'uid-b', name: 'b', finalizers: ['f'] } };
    expect(cache.applyWrite(deleting)?.type).toBe('ADDED');
  });

  it('re-lists: synthesizes DELETED for what vanished, keeps what a write brought in after the snapshot', () => {
    const cache = new ObjectCache<Obj>();
    cache.applyWatchEvent('ADDED', obj('gone', 1));
    cache.applyWatchEvent('ADDED', obj('same', 2));
    cache.applyWatchEvent('ADDED', obj('changed', 3));
    cache.applyWrite(obj('written', 20));
    const changes = cache.replace([obj('same', 2), obj('changed', 7, 1), obj('new', 8)], '10');
    expect(types(changes).sort()).toEqual(['ADDED new@8', 'DELETED gone@1', 'MODIFIED changed@7']);
    expect(cache.list('ns').map((o) => o.metadata.name).sort()).toEqual(['changed', 'new', 'same', 'written']);
  });

  it('re-lists without bringing back what this process deleted after the list was taken', () => {
    const cache = new ObjectCache<Obj>();
    cache.applyWatchEvent('ADDED', obj('a', 1));
    cache.applyDeleted('ns', 'a', 'uid-a');
    expect(cache.replace([obj('a', 1)], '5')).toEqual([]);
    expect(cache.replace([], '6')).toEqual([]);
    expect(cache.replace([obj('a', 7, 0, 'uid-a2')], '7').map((c) => c.type)).toEqual(['ADDED']);
  });

  it('lists by namespace', () => {
    const cache = new ObjectCache<Obj>();
    cache.applyWatchEvent('ADDED', obj('a', 1));
    cache.applyWatchEvent('ADDED', { ...obj('b', 2), metadata: { ...obj('b', 2).metadata, namespace: 'other' } });
    expect(cache.list('other').map((o) => o.metadata.name)).toEqual(['b']);
    expect(cache.list().length).toBe(2);
    expect(cache.list('none')).toEqual([]);
  });

  it('tracks an object this version cannot read, never letting an older readable copy back in', () => {
    const cache = new ObjectCache<Obj>();
    const unreadable = (name: string, rv: number) => ({ object: { namespace: 'ns', name, uid: `uid-${name}`, problem: 'spec.n: bad' }, resourceVersion: String(rv) });
    cache.applyWatchEvent('ADDED', obj('a', 1));
    const seq = cache.beginWrite();
    expect(types([cache.applyUnreadable(unreadable('a', 3))].flatMap((c) => (c ? [c] : [])))).toEqual(['DELETED a@1']);
    expect(cache.unreadable().map((u) => u.name)).toEqual(['a']);
    expect(cache.applyWrite(obj('a', 2, 5))).toBeUndefined(); // a write answered before the unreadable version
    cache.endWrite(seq);
    expect(cache.get('ns', 'a')).toBeUndefined();
    expect(cache.applyWrite(obj('a', 4, 6))?.type).toBe('ADDED'); // a write that fixed it
    expect(cache.unreadable()).toEqual([]);
    // An unreadable version older than what a write cached is ignored.
    expect(cache.applyUnreadable(unreadable('a', 4))).toBeUndefined();
    expect(cache.unreadable()).toEqual([]);
    cache.applyUnreadable(unreadable('b', 5));
    expect(cache.unreadable('other')).toEqual([]);
    expect(cache.watchDeleted('ns', 'b', 'uid-b')).toBeUndefined();
    expect(cache.unreadable()).toEqual([]);
    cache.applyUnreadable(unreadable('c', 6));
    cache.applyDeleted('ns', 'c', 'uid-c');
    expect(cache.unreadable()).toEqual([]);
  });

  it('re-lists unreadable objects: the list says which are, and a cached copy of one goes', () => {
    const cache = new ObjectCache<Obj>();
    const unreadable = (name: string, rv: number) => ({ object: { namespace: 'ns', name, uid: `uid-${name}`, problem: 'spec.n: bad' }, resourceVersion: String(rv) });
    cache.applyWatchEvent('ADDED', obj('turns-bad', 1));
    cache.applyUnreadable(unreadable('gone', 2));
    const changes = cache.replace([obj('fine', 3)], '5', [unreadable('turns-bad', 4)]);
    expect(types(changes).sort()).toEqual(['ADDED fine@3', 'DELETED turns-bad@1']);
    expect(cache.unreadable().map((u) => u.name)).toEqual(['turns-bad']);
  });
});
