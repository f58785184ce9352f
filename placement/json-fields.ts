// Reading untyped JSON field by field, collecting a 'format' problem with the field's path
// for each mismatch instead of stopping at the first.

import type { MapProblem } from './map-errors.js';

export type JsonObject = { readonly [key: string]: unknown };

export class FieldReader {
  readonly problems: MapProblem[] = [];

  object(value: unknown, path: string): JsonObject | undefined {
    if (typeof value === 'object' && value !== null && !Array.isArray(value)) return value as JsonObject;
    this.fail(path, 'an object');
    return undefined;
  }

  array(obj: JsonObject, key: string, path: string): readonly unknown[] {
    const value = obj[key];
    if (Array.isArray(value)) return value;
    this.fail(`${path}.${key}`, 'an array');
    return [];
  }

  string(obj: JsonObject, key: string, path: string): string {
    const value = obj[key];
    if (typeof value === 'string') return value;
    this.fail(`${path}.${key}`, 'a string');
    return '';
  }

  integer(obj: JsonObject, key: string, path: string): number {
    const value = obj[key];
    if (typeof value === 'number' && Number.isSafeInteger(value)) return value;
    this.fail(`${path}.${key}`, 'an integer');
    return 0;
  }

  /** An integer if present; `fallback` when the key is absent. */
  optionalInteger(obj: JsonObject, key: string, path: string, fallback: number): number {
    return obj[key] === undefined ? fallback : this.integer(obj, key, path);
  }

  fail(where: string, expected: string): void {
    this.problems.push({ kind: 'format', where, expected });
  }
}
