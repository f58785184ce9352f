import { formatFieldPath, RESOURCE_SCHEMAS, toFieldIssues, type FieldIssue, type Kind, type ResourceOf } from './resource.js';

/**
 * `value` is what the strict schema makes of the input once the fields it does not know are
 * taken out; `unknownFields` names them ("status.lastRequestId", "status.conditions[0].detail").
 */
export type LenientParseResult<T> = { ok: true; value: T; unknownFields: string[] } | { ok: false; issues: FieldIssue[] };

/** Fields unknown at one level of nesting at a time: zod reports them all in one pass, this is a bound, not a loop we expect. */
const MAX_PASSES = 8;

/**
 * Validates and defaults an object as `parseKind` does, except that a field the schema does not
 * know is no error: it is left out of the value and named in `unknownFields`. For objects read back
 * from an API server that already validated them against its own (possibly newer) CRD; what
 * polyfleet writes is still checked by `parseKind`, strictly. Any other problem (a field of the
 * wrong type, a value out of range) still fails, with only those issues: an unknown field is not one.
 */
export function parseKindLenient<K extends Kind>(kind: K, input: unknown): LenientParseResult<ResourceOf<K>> {
  const schema = RESOURCE_SCHEMAS[kind];
  const first = schema.safeParse(input);
  if (first.success) return { ok: true, value: first.data as ResourceOf<K>, unknownFields: [] };
  const unknownFields: string[] = [];
  const stripped: unknown = structuredClone(input);
  let result: ReturnType<typeof schema.safeParse> = first;
  for (let pass = 0; pass < MAX_PASSES && !result.success; pass++) {
    const unknown = result.error.issues.filter((i) => i.code === 'unrecognized_keys');
    if (unknown.length === 0 || unknown.length < result.error.issues.length) {
      const real = result.error.issues.filter((i) => i.code !== 'unrecognized_keys');
      return { ok: false, issues: real.map((i) => ({ path: formatFieldPath(i.path), message: i.message })) };
    }
    for (const issue of unknown) {
      const parent = at(stripped, issue.path);
      for (const key of issue.keys) {
        if (parent !== undefined) Reflect.deleteProperty(parent, key);
        unknownFields.push(formatFieldPath([...issue.path, key]));
      }
    }
    result = schema.safeParse(stripped);
  }
  if (!result.success) return { ok: false, issues: toFieldIssues(result.error) };
  return { ok: true, value: result.data as ResourceOf<K>, unknownFields };
}

function at(root: unknown, path: readonly PropertyKey[]): Record<PropertyKey, unknown> | undefined {
  let node = root;
  for (const segment of path) {
    if (typeof node !== 'object' || node === null) return undefined;
    node = (node as Record<PropertyKey, unknown>)[segment];
  }
  return typeof node === 'object' && node !== null ? (node as Record<PropertyKey, unknown>) : undefined;
}
