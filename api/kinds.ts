/**
 * The kinds' names without their schemas: readers that only sort objects by kind (the state file's
 * reader) need no zod, and `polyfleet inventory --list` starts faster without loading it.
 * resource.ts checks that its schemas are exactly these.
 */
export const KIND_NAMES = ['NodePool', 'Strategy', 'PlacementRule', 'Machine', 'HostGroup'] as const;

/** A polyfleet kind; resource.ts holds the schema of each. */
export type Kind = (typeof KIND_NAMES)[number];

const KIND_SET: ReadonlySet<string> = new Set(KIND_NAMES);

export function isKind(kind: unknown): kind is Kind {
  return typeof kind === 'string' && KIND_SET.has(kind);
}
