/**
 * Stored objects are plain JSON (parsed from the state file or produced by zod), so a copy and a
 * comparison need not handle Dates, Maps or cycles; the specialised versions are ~10x faster than
 * structuredClone, which matters for reads of a 10,000-Machine state.
 */
export function cloneJson<T>(value: T): T {
  return cloneValue(value) as T;
}

function cloneValue(value: unknown): unknown {
  if (typeof value !== 'object' || value === null) return value;
  if (Array.isArray(value)) return value.map(cloneValue);
  const source = value as Record<string, unknown>;
  const copy: Record<string, unknown> = {};
  // for…in rather than Object.entries: no array per object, and JSON objects have no inherited keys.
  for (const key in source) {
    const item = source[key];
    if (item !== undefined) copy[key] = cloneValue(item);
  }
  return copy;
}

/** Deep equality of JSON values; a key holding `undefined` counts as absent, as it does once serialised. */
export function jsonEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a) || Array.isArray(b)) {
    if (!Array.isArray(a) || !Array.isArray(b) || a.length !== b.length) return false;
    return a.every((item, i) => jsonEqual(item, b[i]));
  }
  if (!isJsonObject(a) || !isJsonObject(b)) return false;
  const aKeys = definedKeys(a);
  const bKeys = definedKeys(b);
  if (aKeys.length !== bKeys.length) return false;
  return aKeys.every((key) => jsonEqual(a[key], b[key]));
}

export function isJsonObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function definedKeys(o: Record<string, unknown>): string[] {
  return Object.keys(o).filter((k) => o[k] !== undefined);
}
