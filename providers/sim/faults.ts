import { PROVIDER_ERROR_KINDS } from '../errors.js';
import { PROVIDER_OPS } from '../types.js';
import type { ProviderOp } from '../types.js';
import { readFileIfExists, statIfExists, writeFileAtomic } from './atomic-files.js';
import { JsonFields, SimFileError } from './json-fields.js';
import { faultsFile, tmpDir } from './sim-dir.js';

/**
 * A provider error; `die`: a created instance fails `afterMs` after it became running; `invisible`:
 * a created instance is not seen by get, list or delete for `forMs` after its create (EC2's eventual
 * consistency). Both are drawn at the create, so they go with op create.
 */
export const FAULT_KINDS = [...PROVIDER_ERROR_KINDS, 'die', 'invisible'] as const;
export type FaultKind = (typeof FAULT_KINDS)[number];

/** Calls matching op (and every filter given) fail at `rate`. */
export interface FaultRule {
  readonly op: ProviderOp;
  readonly kind: FaultKind;
  /** 0 to 1: the share of matching calls that fail; 1 fails every one. */
  readonly rate: number;
  readonly account?: string;
  readonly region?: string;
  readonly zone?: string;
  readonly instanceType?: string;
  /** on-demand or spot: only creates buying that way (say, spot capacity running out). */
  readonly capacityType?: string;
  /** die only: how long after becoming running the instance fails (default 0). */
  readonly afterMs?: number;
  /** invisible only, and required there: how long after its create get, list and delete miss the instance. */
  readonly forMs?: number;
  /** throttled only: how long the error tells the caller to wait. */
  readonly retryAfterMs?: number;
}

const FILTERS = ['account', 'region', 'zone', 'instanceType', 'capacityType'] as const;

/**
 * The rules in the sim dir's faults.json, read on every call so that a test or `polyfleet sim faults`
 * in another process changes what a running controller sees; none if there is no file.
 */
export async function readFaultRules(dir: string): Promise<FaultRule[]> {
  const file = faultsFile(dir);
  const text = await readFileIfExists(file);
  return text === undefined ? [] : parseFaultRules(file, text);
}

/**
 * faults.json as a SimProvider reads it on every call, parsed again only when the file changed:
 * writeFaultRules replaces it (a new inode), so a rule that a test or `polyfleet sim faults` writes
 * from another process still counts from the next call, for one stat per call instead of a read.
 */
export class FaultRulesFile {
  private cached: { readonly stamp: string; readonly rules: readonly FaultRule[] } | undefined;

  constructor(private readonly dir: string) {}

  async rules(): Promise<readonly FaultRule[]> {
    const file = faultsFile(this.dir);
    const stats = await statIfExists(file);
    if (stats === undefined) return [];
    const stamp = `${stats.ino}/${stats.size}/${stats.mtimeMs}`;
    if (this.cached?.stamp === stamp) return this.cached.rules;
    const text = await readFileIfExists(file);
    const rules = text === undefined ? [] : parseFaultRules(file, text);
    this.cached = { stamp, rules };
    return rules;
  }
}

/** Replaces faults.json whole (temp + rename), so a reader sees the old rules or the new ones. */
export async function writeFaultRules(dir: string, rules: readonly FaultRule[]): Promise<void> {
  await writeFileAtomic(faultsFile(dir), `${JSON.stringify({ rules }, null, 2)}\n`, tmpDir(dir));
}

/** `rules` with `rule` in place of any rule for the same op, kind and filters. */
export function upsertRule(rules: readonly FaultRule[], rule: FaultRule): FaultRule[] {
  const same = (r: FaultRule): boolean => r.op === rule.op && r.kind === rule.kind && FILTERS.every((k) => r[k] === rule[k]);
  return [...rules.filter((r) => !same(r)), rule];
}

export function parseFaultRules(file: string, text: string): FaultRule[] {
  return JsonFields.parse(file, text).objects('rules').map(parseRule);
}

function parseRule(f: JsonFields): FaultRule {
  const kind = f.oneOf('kind', FAULT_KINDS);
  const op = f.oneOf('op', PROVIDER_OPS);
  if (kind === 'die' && op !== 'create') throw f.fail('op', 'create for kind die (instances die after a create)', op);
  if (kind === 'invisible' && op !== 'create') throw f.fail('op', 'create for kind invisible (instances are hidden after their create)', op);
  const filters = Object.fromEntries(FILTERS.flatMap((k) => {
    const v = f.optionalString(k);
    return v === undefined ? [] : [[k, v]];
  })) as Pick<FaultRule, (typeof FILTERS)[number]>;
  if (filters.capacityType !== undefined && filters.capacityType !== 'on-demand' && filters.capacityType !== 'spot') throw f.fail('capacityType', '"on-demand" or "spot"', filters.capacityType);
  const afterMs = f.optionalNumber('afterMs', 0);
  const retryAfterMs = f.optionalNumber('retryAfterMs', 0);
  const forMs = f.optionalNumber('forMs', 0);
  if (afterMs !== undefined && kind !== 'die') throw new SimFileError(f.file, `${f.path}.afterMs`, 'is for kind die only');
  if (forMs !== undefined && kind !== 'invisible') throw new SimFileError(f.file, `${f.path}.forMs`, 'is for kind invisible only');
  if (forMs === undefined && kind === 'invisible') throw f.fail('forMs', 'a number from 0 (how long the instance stays invisible) for kind invisible', forMs);
  return {
    op,
    kind,
    rate: f.number('rate', 0, 1),
    ...filters,
    ...(afterMs === undefined ? {} : { afterMs }),
    ...(forMs === undefined ? {} : { forMs }),
    ...(retryAfterMs === undefined ? {} : { retryAfterMs }),
  };
}
