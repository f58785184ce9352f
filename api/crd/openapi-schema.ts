import { z } from 'zod';

export type JsonSchema = { [key: string]: unknown };

/**
 * The structural openAPIV3Schema of a zod schema, as the API server wants it.
 * zod's OpenAPI 3.0 output is close; what it adds that Kubernetes refuses is removed here.
 */
export function toStructuralSchema(schema: z.ZodType): JsonSchema {
  const raw = z.toJSONSchema(schema, { target: 'openapi-3.0', io: 'input', cycles: 'throw', reused: 'inline' }) as JsonSchema;
  delete raw.$schema;
  return structural(raw);
}

function structural(node: JsonSchema): JsonSchema {
  const out: JsonSchema = {};
  for (const [key, value] of Object.entries(node)) {
    if (dropped(node, key, value)) continue;
    out[key] = recurse(key, value);
  }
  return out;
}

function recurse(key: string, value: unknown): unknown {
  if (key === 'properties' && isObject(value)) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, structural(v as JsonSchema)]));
  }
  if ((key === 'items' || key === 'additionalProperties') && isObject(value)) return structural(value);
  return value;
}

function dropped(node: JsonSchema, key: string, value: unknown): boolean {
  switch (key) {
    case 'additionalProperties':
      // Structural schemas forbid additionalProperties beside properties; unknown fields are pruned
      // by the server and rejected by kubectl's strict field validation instead.
      // A free-form map (variables) is kept whole by x-kubernetes-preserve-unknown-fields instead.
      return value === false || node.properties !== undefined || node['x-kubernetes-preserve-unknown-fields'] === true;
    case 'propertyNames':
      return true;
    case 'minimum':
      return value === -Number.MAX_SAFE_INTEGER;
    case 'maximum':
      return value === Number.MAX_SAFE_INTEGER;
    case 'pattern':
      // zod spells date-time as a regex too; the format already says it and the server checks it.
      return node.format === 'date-time';
    default:
      return false;
  }
}

function isObject(value: unknown): value is JsonSchema {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Problems that would make the API server reject the schema as non-structural. */
export function structuralProblems(schema: JsonSchema, path = '', isField = false): string[] {
  const problems: string[] = [];
  const here = path || '(root)';
  if (typeof schema.type !== 'string' && schema['x-kubernetes-int-or-string'] !== true) problems.push(`${here}: no type`);
  for (const banned of ['$ref', 'anyOf', 'oneOf', 'allOf', 'not', 'const', 'nullable']) {
    if (banned in schema) problems.push(`${here}: uses ${banned}`);
  }
  if (schema.properties !== undefined && schema.additionalProperties !== undefined) {
    problems.push(`${here}: both properties and additionalProperties`);
  }
  if (path === '.metadata') {
    // The API server owns metadata's schema and refuses anything but `type` (even a description) here.
    const extra = Object.keys(schema).filter((k) => k !== 'type');
    if (extra.length > 0) problems.push(`${here}: only type is allowed, not ${extra.join(', ')}`);
  } else if (isField && typeof schema.description !== 'string') problems.push(`${here}: no description`);
  for (const [key, child] of Object.entries((schema.properties ?? {}) as Record<string, JsonSchema>)) {
    problems.push(...structuralProblems(child, `${path}.${key}`, true));
  }
  if (isObject(schema.items)) problems.push(...structuralProblems(schema.items, `${path}[]`));
  if (isObject(schema.additionalProperties)) problems.push(...structuralProblems(schema.additionalProperties, `${path}{}`));
  return problems;
}
