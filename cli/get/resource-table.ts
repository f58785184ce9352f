import type { CrdKind, PrinterColumn } from '../../api/crd/index.js';
import type { Resource } from '../../api/index.js';
import { humanDuration } from './human-duration.js';

export interface TableOptions {
  readonly now: Date;
  /** Adds a NAMESPACE column first, as `kubectl get -A` does. */
  readonly withNamespace: boolean;
  /** Adds the columns kubectl shows only with `-o wide`. */
  readonly wide: boolean;
}

/** The table `kubectl get` prints for these objects: NAME, the kind's printer columns, columns 3 spaces apart. */
export function formatTable(kind: CrdKind, objects: readonly Resource[], options: TableOptions): string {
  const columns = kind.columns.filter((c) => options.wide || (c.priority ?? 0) === 0);
  const header = [...(options.withNamespace ? ['NAMESPACE'] : []), 'NAME', ...columns.map((c) => c.name.toUpperCase())];
  const rows = objects.map((o) => [
    ...(options.withNamespace ? [o.metadata.namespace ?? ''] : []),
    o.metadata.name,
    ...columns.map((c) => cell(c, o, options.now)),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  return [header, ...rows].map((r) => r.map((v, i) => (i === r.length - 1 ? v : v.padEnd((widths[i] ?? 0) + 3))).join('')).join('\n') + '\n';
}

function cell(column: PrinterColumn, object: Resource, now: Date): string {
  const value = readJsonPath(object, column.jsonPath);
  if (value === undefined || value === null) return column.type === 'date' ? '<unknown>' : '';
  if (column.type === 'date' && typeof value === 'string') return humanDuration(now.getTime() - Date.parse(value));
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return JSON.stringify(value);
}

/** The simple `.a.b.c` paths CRD printer columns use. */
function readJsonPath(object: unknown, path: string): unknown {
  let at: unknown = object;
  for (const field of path.split('.').filter((f) => f !== '')) {
    if (at === null || typeof at !== 'object') return undefined;
    at = (at as Record<string, unknown>)[field];
  }
  return at;
}
