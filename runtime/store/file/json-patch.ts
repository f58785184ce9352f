import type { JsonPatchOp } from '../types.js';
import { cloneJson, isJsonObject, jsonEqual } from './json-value.js';

/** An RFC 6902 operation that cannot be applied; `opIndex` says which one, `path` where. */
export class JsonPatchError extends Error {
  constructor(readonly opIndex: number, readonly path: string, detail: string) {
    super(`JSON patch operation ${opIndex} (${path || '/'}): ${detail}`);
    this.name = 'JsonPatchError';
  }
}

type Container = Record<string, unknown> | unknown[];

/** Applies RFC 6902 operations in order to a copy of `document`; all or nothing. */
export function applyJsonPatch(document: unknown, ops: readonly JsonPatchOp[]): unknown {
  let doc = cloneJson(document);
  ops.forEach((op, index) => {
    doc = applyOp(doc, op, index);
  });
  return doc;
}

function applyOp(doc: unknown, op: JsonPatchOp, index: number): unknown {
  const fail = (detail: string): never => {
    throw new JsonPatchError(index, op.path, detail);
  };
  const path = parsePointer(op.path, fail);
  switch (op.op) {
    case 'add':
      return add(doc, path, requireValue(op, fail), fail);
    case 'remove':
      return remove(doc, path, fail).doc;
    case 'replace':
      return add(remove(doc, path, fail).doc, path, requireValue(op, fail), fail);
    case 'test':
      if (!jsonEqual(read(doc, path, fail), op.value)) fail('test failed: the value differs');
      return doc;
    case 'move': {
      const from = parsePointer(op.from ?? fail('"from" is missing'), fail);
      if (path.length > from.length && from.every((seg, i) => seg === path[i])) fail('cannot move a value into itself');
      const removed = remove(doc, from, fail);
      return add(removed.doc, path, removed.value, fail);
    }
    case 'copy': {
      const from = parsePointer(op.from ?? fail('"from" is missing'), fail);
      return add(doc, path, cloneJson(read(doc, from, fail)), fail);
    }
  }
}

function requireValue(op: JsonPatchOp, fail: (detail: string) => never): unknown {
  return 'value' in op && op.value !== undefined ? cloneJson(op.value) : fail('"value" is missing');
}

function parsePointer(pointer: string, fail: (detail: string) => never): string[] {
  if (pointer === '') return [];
  if (!pointer.startsWith('/')) fail(`"${pointer}" is not a JSON pointer`);
  return pointer
    .slice(1)
    .split('/')
    .map((seg) => seg.replace(/~1/g, '/').replace(/~0/g, '~'));
}

function read(doc: unknown, path: readonly string[], fail: (detail: string) => never): unknown {
  let at = doc;
  for (const seg of path) {
    const container = asContainer(at, fail);
    at = Array.isArray(container) ? container[arrayIndex(container, seg, false, fail)] : has(container, seg) ? container[seg] : fail(`no "${seg}"`);
  }
  return at;
}

function add(doc: unknown, path: readonly string[], value: unknown, fail: (detail: string) => never): unknown {
  const last = path.at(-1);
  if (last === undefined) return value;
  const parent = asContainer(read(doc, path.slice(0, -1), fail), fail);
  if (Array.isArray(parent)) parent.splice(last === '-' ? parent.length : arrayIndex(parent, last, true, fail), 0, value);
  else parent[last] = value;
  return doc;
}

function remove(doc: unknown, path: readonly string[], fail: (detail: string) => never): { doc: unknown; value: unknown } {
  const last = path.at(-1);
  if (last === undefined) return { doc: undefined, value: doc };
  const parent = asContainer(read(doc, path.slice(0, -1), fail), fail);
  if (Array.isArray(parent)) {
    const [value] = parent.splice(arrayIndex(parent, last, false, fail), 1);
    return { doc, value };
  }
  if (!has(parent, last)) fail(`no "${last}" to remove`);
  const value = parent[last];
  // A computed key from the pointer, on a copy this function owns.
  // eslint-disable-next-line @typescript-eslint/no-dynamic-delete
  delete parent[last];
  return { doc, value };
}

function asContainer(value: unknown, fail: (detail: string) => never): Container {
  if (Array.isArray(value) || isJsonObject(value)) return value;
  return fail('the path goes through a value that is neither an object nor an array');
}

function has(o: Record<string, unknown>, key: string): boolean {
  return Object.prototype.hasOwnProperty.call(o, key);
}

function arrayIndex(array: readonly unknown[], seg: string, forInsert: boolean, fail: (detail: string) => never): number {
  if (!/^(0|[1-9][0-9]*)$/.test(seg)) fail(`"${seg}" is not an array index`);
  const index = Number(seg);
  const max = forInsert ? array.length : array.length - 1;
  return index <= max ? index : fail(`index ${index} is out of bounds (length ${array.length})`);
}
