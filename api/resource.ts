import { z } from 'zod';
import { HostGroup } from './host-group.js';
import { isKind, type Kind } from './kinds.js';
import { Machine } from './machine.js';
import { NodePool } from './node-pool.js';
import { PlacementRule } from './placement-rule.js';
import { Strategy } from './strategy.js';

export type { Kind };

export const RESOURCE_SCHEMAS = { NodePool, Strategy, PlacementRule, Machine, HostGroup } as const satisfies Record<Kind, z.ZodType>;
export const KINDS = Object.keys(RESOURCE_SCHEMAS) as Kind[];

export const Resource = z.discriminatedUnion('kind', [NodePool, Strategy, PlacementRule, Machine, HostGroup]);
export type Resource = z.infer<typeof Resource>;
export type ResourceOf<K extends Kind> = z.infer<(typeof RESOURCE_SCHEMAS)[K]>;

/** One validation failure, with the field named the way the API server names it. */
export interface FieldIssue {
  readonly path: string;
  readonly message: string;
}

export type ParseResult<T> = { ok: true; value: T } | { ok: false; issues: FieldIssue[] };

/** Validates and defaults a manifest of any polyfleet kind. */
export function parseResource(input: unknown): ParseResult<Resource> {
  const kind = (input as { kind?: unknown } | null)?.kind;
  if (!isKind(kind)) {
    return { ok: false, issues: [{ path: 'kind', message: `must be one of ${KINDS.join(', ')}; got ${JSON.stringify(kind)}` }] };
  }
  return parseKind(kind, input);
}

export function parseKind<K extends Kind>(kind: K, input: unknown): ParseResult<ResourceOf<K>> {
  const result = RESOURCE_SCHEMAS[kind].safeParse(input);
  if (result.success) return { ok: true, value: result.data as ResourceOf<K> };
  return { ok: false, issues: toFieldIssues(result.error) };
}

export function toFieldIssues(error: z.ZodError): FieldIssue[] {
  return error.issues.flatMap((issue) => {
    if (issue.code === 'unrecognized_keys') {
      return issue.keys.map((key) => ({ path: formatFieldPath([...issue.path, key]), message: `unknown field "${key}"` }));
    }
    return [{ path: formatFieldPath(issue.path), message: issue.message }];
  });
}

/** ["spec", "steps", 0, "type"] → "spec.steps[0].type", as kubectl prints it. */
export function formatFieldPath(path: readonly PropertyKey[]): string {
  return path.reduce<string>((acc, seg) => {
    if (typeof seg === 'number') return `${acc}[${seg}]`;
    return acc === '' ? String(seg) : `${acc}.${String(seg)}`;
  }, '');
}

export function describeIssues(issues: readonly FieldIssue[]): string {
  return issues.map((i) => `${i.path || '(root)'}: ${i.message}`).join('\n');
}
