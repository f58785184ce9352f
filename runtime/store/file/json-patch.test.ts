import { describe, expect, it } from '@jest/globals';
import { applyJsonPatch, JsonPatchError } from './json-patch.js';
import { applyMergePatch } from './merge-patch.js';

describe('JSON patch (RFC 6902)', () => {
  const doc = { a: { b: [1, 2, 3], 'c/d': 'x', 'e~f': 'y' } };

  it.each([
    ['add to an object', [{ op: 'add', path: '/a/n', value: 5 }], { a: { ...doc.a, n: 5 } }],
    ['add inside an array', [{ op: 'add', path: '/a/b/1', value: 9 }], { a: { ...doc.a, b: [1, 9, 2, 3] } }],
    ['append with -', [{ op: 'add', path: '/a/b/-', value: 4 }], { a: { ...doc.a, b: [1, 2, 3, 4] } }],
    ['remove from an array', [{ op: 'remove', path: '/a/b/0' }], { a: { ...doc.a, b: [2, 3] } }],
    ['replace with escaped keys', [{ op: 'replace', path: '/a/c~1d', value: 'z' }], { a: { ...doc.a, 'c/d': 'z' } }],
    ['move', [{ op: 'move', from: '/a/e~0f', path: '/g' }], { a: { b: [1, 2, 3], 'c/d': 'x' }, g: 'y' }],
    ['copy', [{ op: 'copy', from: '/a/b', path: '/h' }], { ...doc, h: [1, 2, 3] }],
    ['test then replace', [{ op: 'test', path: '/a/b/2', value: 3 }, { op: 'replace', path: '/a/b/2', value: 0 }], { a: { ...doc.a, b: [1, 2, 0] } }],
  ] as const)('%s', (_name, ops, expected) => {
    expect(applyJsonPatch(doc, ops)).toEqual(expected);
  });

  it('leaves the document alone', () => {
    applyJsonPatch(doc, [{ op: 'remove', path: '/a' }]);
    expect(doc.a.b).toEqual([1, 2, 3]);
  });

  it.each([
    ['a failed test', [{ op: 'test', path: '/a/b/0', value: 7 }], /operation 0 \(\/a\/b\/0\): test failed/],
    ['a missing target', [{ op: 'remove', path: '/a/zz' }], /no "zz" to remove/],
    ['an index past the end', [{ op: 'add', path: '/a/b/9', value: 1 }], /out of bounds/],
    ['a missing value', [{ op: 'add', path: '/a/n' }], /"value" is missing/],
    ['a move into itself', [{ op: 'move', from: '/a', path: '/a/b/x' }], /into itself/],
  ] as const)('refuses %s', (_name, ops, message) => {
    expect(() => applyJsonPatch(doc, ops)).toThrow(JsonPatchError);
    expect(() => applyJsonPatch(doc, ops)).toThrow(message);
  });
});

describe('merge patch (RFC 7386)', () => {
  it('merges objects, removes on null, replaces arrays and scalars', () => {
    expect(applyMergePatch({ a: { b: 1, c: 2 }, l: [1, 2], s: 'x' }, { a: { b: null, d: 3 }, l: [3], s: null })).toEqual({ a: { c: 2, d: 3 }, l: [3] });
  });
});
