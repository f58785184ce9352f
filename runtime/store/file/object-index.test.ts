import { describe, expect, it } from '@jest/globals';
import { ObjectIndex } from './object-index.js';
import type { StoredObject } from './state-records.js';

function machine(namespace: string, name: string, rv = '1'): StoredObject {
  return { apiVersion: 'polyfleet.io/v1alpha1', kind: 'Machine', metadata: { namespace, name, uid: `${namespace}-${name}`, resourceVersion: rv } } as StoredObject;
}

function inKeyOrder(index: ObjectIndex, kind: 'Machine' | 'NodePool'): StoredObject[] {
  const found: StoredObject[] = [];
  index.forEachInKeyOrder(kind, (o) => found.push(o));
  return found;
}

const names = (index: ObjectIndex): string[] => inKeyOrder(index, 'Machine').map((o) => `${o.metadata.namespace ?? ''}/${o.metadata.name}`);

describe('ObjectIndex key order', () => {
  it('lists in "namespace/name" order however objects were added, replaced and removed', () => {
    const index = new ObjectIndex();
    const keys = ['b/m-2', 'a/m-10', 'a/m-1', 'b/m-1', 'a/m-2', 'c/x', 'a/m-11'];
    for (const key of keys) {
      const [ns = '', name = ''] = key.split('/');
      index.put(machine(ns, name));
    }
    expect(names(index)).toEqual(['a/m-1', 'a/m-10', 'a/m-11', 'a/m-2', 'b/m-1', 'b/m-2', 'c/x']);
    // A replaced object is listed once, as its newest version.
    index.put(machine('a', 'm-10', '2'));
    expect(names(index)).toEqual(['a/m-1', 'a/m-10', 'a/m-11', 'a/m-2', 'b/m-1', 'b/m-2', 'c/x']);
    expect(inKeyOrder(index, 'Machine').find((o) => o.metadata.name === 'm-10')?.metadata.resourceVersion).toBe('2');
    index.remove(machine('a', 'm-11'));
    index.remove(machine('c', 'x'));
    index.remove(machine('c', 'not-there'));
    index.put(machine('a', 'm-0'));
    expect(names(index)).toEqual(['a/m-0', 'a/m-1', 'a/m-10', 'a/m-2', 'b/m-1', 'b/m-2']);
    expect(inKeyOrder(index, 'NodePool')).toEqual([]);
  });

  it('hands out every object kind by kind in key order, so a snapshot of it loads by appending', () => {
    const index = new ObjectIndex();
    for (const key of ['b/m-2', 'a/m-10', 'a/m-1']) {
      const [ns = '', name = ''] = key.split('/');
      index.put(machine(ns, name));
    }
    index.put({ apiVersion: 'polyfleet.io/v1alpha1', kind: 'NodePool', metadata: { namespace: 'a', name: 'p', uid: 'p' } } as StoredObject);
    const all = index.all().map((o) => `${o.kind} ${o.metadata.namespace ?? ''}/${o.metadata.name}`);
    expect(all).toEqual(['Machine a/m-1', 'Machine a/m-10', 'Machine b/m-2', 'NodePool a/p']);
    const reloaded = new ObjectIndex();
    for (const object of index.all()) reloaded.put(object);
    expect(names(reloaded)).toEqual(['a/m-1', 'a/m-10', 'b/m-2']);
    // A key that sorts before the last one is still put in its place.
    reloaded.put(machine('a', 'm-0'));
    expect(names(reloaded)).toEqual(['a/m-0', 'a/m-1', 'a/m-10', 'b/m-2']);
  });
});
