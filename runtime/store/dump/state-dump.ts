import { z } from 'zod';
import { KINDS, parseKind, type Kind, type Resource } from '../../../api/index.js';
import type { StoredEvent } from '../../events/types.js';
import { isInstallationId } from '../file/installation-id.js';
import { keyString, keyOf } from '../types.js';
import { DumpError } from './dump-errors.js';

export const DUMP_FORMAT = 'polyfleet-state-dump';
export const DUMP_VERSION = 1;

/**
 * What `polyfleet state export` writes and `polyfleet state import` reads: every object of one
 * store as it is (uid, generation, timestamps, finalizers, owner references, status; not
 * resourceVersion, which only means something inside the store that gave it) and the installation
 * id, the managed-by tag of the cloud instances those objects own. An installation that moves
 * without its id would find its own instances untagged for it: it would launch new ones and leave
 * the old ones to nobody. And the events about those objects (what `polyfleet describe` shows),
 * counts and timestamps included; a dump without `events` (an older export) moves none.
 */
export const StateDump = z.strictObject({
  format: z.literal(DUMP_FORMAT),
  version: z.literal(DUMP_VERSION),
  installationId: z.string().refine(isInstallationId, { message: 'must be a DNS label such as pf-0123456789ab' }),
  /** Where it came from, for a human reading the file. */
  source: z.string().optional(),
  exportedAt: z.string().optional(),
  objects: z.array(z.looseObject({ kind: z.string(), metadata: z.looseObject({ name: z.string(), uid: z.string().min(1) }) })),
  events: z.array(z.strictObject({
    regarding: z.strictObject({ kind: z.enum(KINDS), namespace: z.string().min(1), name: z.string().min(1), uid: z.string().optional() }),
    type: z.enum(['Normal', 'Warning']),
    reason: z.string().min(1),
    action: z.string(),
    message: z.string(),
    count: z.int().min(1),
    firstTimestamp: z.iso.datetime(),
    lastTimestamp: z.iso.datetime(),
  })).optional(),
});
export type StateDump = z.infer<typeof StateDump>;

/** A dump's objects, checked: each valid for its kind, with a uid and a namespace, none twice. */
export interface CheckedDump {
  readonly installationId: string;
  readonly objects: readonly Resource[];
  readonly events: readonly StoredEvent[];
}

/** The dump of `objects` (any order), in the order of KINDS, then by namespace and name, and their `events`. */
export function makeDump(installationId: string, objects: readonly Resource[], events: readonly StoredEvent[], source: string, now: Date): StateDump {
  const rank = (kind: Kind): number => KINDS.indexOf(kind);
  const sorted = [...objects].sort((a, b) => rank(a.kind) - rank(b.kind) || compare(keyString(keyOf(a)), keyString(keyOf(b))));
  return {
    format: DUMP_FORMAT,
    version: DUMP_VERSION,
    installationId,
    source,
    exportedAt: now.toISOString(),
    objects: sorted.map((o) => {
      const { resourceVersion: _rv, ...metadata } = o.metadata;
      return { ...o, metadata: { ...metadata, uid: o.metadata.uid ?? '' } };
    }),
    events: [...events],
  };
}

/** Reads a dump (YAML or JSON); a DumpError names `source` and the field at fault. */
export async function parseDump(text: string, source: string): Promise<CheckedDump> {
  const { parse } = await import('yaml');
  let document: unknown;
  try {
    document = parse(text);
  } catch (e) {
    throw new DumpError(source, `not YAML: ${(e as Error).message}`);
  }
  if (document === null || document === undefined) throw new DumpError(source, 'empty: expected the output of `polyfleet state export`');
  const envelope = StateDump.safeParse(document);
  if (!envelope.success) {
    const issue = envelope.error.issues[0];
    const path = issue?.path.map(String).join('.') || '(root)';
    throw new DumpError(source, `${path}: ${issue?.message ?? 'invalid'} (expected the output of \`polyfleet state export\`, format ${DUMP_FORMAT} version ${String(DUMP_VERSION)})`);
  }
  const seen = new Set<string>();
  const objects = envelope.data.objects.map((raw, i) => {
    const kind = raw.kind;
    if (!(KINDS as readonly string[]).includes(kind)) throw new DumpError(source, `objects.${String(i)}.kind: unknown kind ${JSON.stringify(kind)} (one of ${KINDS.join(', ')})`);
    const parsed = parseKind(kind as Kind, raw);
    if (!parsed.ok) {
      const first = parsed.issues[0];
      throw new DumpError(source, `objects.${String(i)} (${kind} ${raw.metadata.name}) ${first?.path ?? ''}: ${first?.message ?? 'invalid'}`);
    }
    const object = { ...parsed.value, metadata: { ...parsed.value.metadata, namespace: parsed.value.metadata.namespace ?? 'default' } } as Resource;
    delete (object.metadata as { resourceVersion?: string }).resourceVersion;
    const id = `${kind} ${keyString(keyOf(object))}`;
    if (seen.has(id)) throw new DumpError(source, `objects.${String(i)}: ${id} appears twice`);
    const uid = `uid ${object.metadata.uid ?? ''}`;
    if (seen.has(uid)) throw new DumpError(source, `objects.${String(i)}: ${id} has the ${uid} of another object`);
    seen.add(id).add(uid);
    return object;
  });
  return { installationId: envelope.data.installationId, objects, events: envelope.data.events ?? [] };
}

export async function renderDump(dump: StateDump): Promise<string> {
  const { stringify } = await import('yaml');
  return `# ${String(dump.objects.length)} objects and ${String(dump.events?.length ?? 0)} events of polyfleet installation ${dump.installationId}: polyfleet state import < this file\n${stringify(dump)}`;
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
