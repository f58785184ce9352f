import type { Resource } from '../../../api/index.js';
import { isKind } from '../../../api/kinds.js';
import type { StoredEvent } from '../../events/types.js';
import { isInstallationId } from './installation-id.js';

/** An object as the store keeps it: namespace, uid and resourceVersion always set. */
export type StoredObject = Resource;

/** The first record of every state file; `rv` is the revision the records after it build on. */
export interface HeaderRecord {
  readonly t: 'header';
  readonly format: typeof STATE_FORMAT;
  readonly version: typeof STATE_FORMAT_VERSION;
  readonly rv: number;
  /**
   * The installation's identity (FileStore.installationId), written with the file's first header
   * and copied into every snapshot's. Absent in files made before it existed (read as "polyfleet");
   * optional, so the format version stays 1 and an older polyfleet still reads the file.
   */
  readonly installationId?: string;
}

/** One object of a compacted snapshot, between the header and the first transaction. */
export interface ObjectRecord {
  readonly t: 'object';
  readonly object: StoredObject;
}

/** One kept event of a compacted snapshot. */
export interface EventRecord {
  readonly t: 'event';
  readonly event: StoredEvent;
}

/** One acknowledged write: every change it made, applied together, at revision `rv`. */
export interface TxnRecord {
  readonly t: 'txn';
  readonly rv: number;
  readonly ops: readonly TxnOp[];
}

/**
 * Several writes flushed together, as one line: a crash can tear a write in progress, but one
 * line is torn or whole, so a torn flush is always just a bad last line, never a bad line with
 * good ones after it (which would read as corruption).
 */
export interface BatchRecord {
  readonly t: 'batch';
  readonly txns: readonly TxnRecord[];
}

export type TxnOp =
  | { readonly op: 'put'; readonly object: StoredObject }
  /** The object as it was when it went, so every process's watchers see the same last state. */
  | { readonly op: 'delete'; readonly object: StoredObject }
  | { readonly op: 'event'; readonly event: StoredEvent };

export type StateRecord = HeaderRecord | ObjectRecord | EventRecord | TxnRecord | BatchRecord;

export const STATE_FORMAT = 'polyfleet-state';
export const STATE_FORMAT_VERSION = 1;

/** A record's shape, checked on read: a problem is returned, never thrown, so the reader can name the line. */
export function checkRecord(value: unknown): { record: StateRecord } | { problem: string } {
  const v = value as { t?: unknown } | null;
  switch (typeof v === 'object' && v !== null ? v.t : undefined) {
    case 'header':
      return checkHeader(value as Partial<Record<keyof HeaderRecord, unknown>>);
    case 'object':
      return wrap(checkObject((value as { object?: unknown }).object), value);
    case 'event':
      return wrap(checkEvent((value as { event?: unknown }).event), value);
    case 'txn':
      return checkTxn(value as Partial<Record<keyof TxnRecord, unknown>>);
    case 'batch':
      return checkBatch((value as { txns?: unknown }).txns, value);
    default:
      return { problem: 'not a polyfleet state record (no known "t")' };
  }
}

function wrap(problem: string | undefined, value: unknown): { record: StateRecord } | { problem: string } {
  return problem === undefined ? { record: value as StateRecord } : { problem };
}

function checkHeader(h: Partial<Record<keyof HeaderRecord, unknown>>): { record: StateRecord } | { problem: string } {
  if (h.format !== STATE_FORMAT) return { problem: `header format is ${JSON.stringify(h.format)}, expected "${STATE_FORMAT}"` };
  if (h.version !== STATE_FORMAT_VERSION) {
    return { problem: `state format version ${JSON.stringify(h.version)} is not supported (this polyfleet reads version ${STATE_FORMAT_VERSION})` };
  }
  if (h.installationId !== undefined && !isInstallationId(h.installationId)) return { problem: 'header has an invalid "installationId"' };
  return wrap(isRevision(h.rv) ? undefined : 'header has no valid "rv"', h);
}

function checkBatch(txns: unknown, value: unknown): { record: StateRecord } | { problem: string } {
  if (!Array.isArray(txns) || txns.length === 0) return { problem: 'batch without transactions' };
  for (const txn of txns as unknown[]) {
    const checked = (txn as { t?: unknown } | null)?.t === 'txn' ? checkTxn(txn as Partial<Record<keyof TxnRecord, unknown>>) : { problem: 'batch entry is no transaction' };
    if ('problem' in checked) return checked;
  }
  return { record: value as BatchRecord };
}

function checkTxn(t: Partial<Record<keyof TxnRecord, unknown>>): { record: StateRecord } | { problem: string } {
  if (!isRevision(t.rv)) return { problem: 'transaction has no valid "rv"' };
  if (!Array.isArray(t.ops)) return { problem: 'transaction has no "ops" list' };
  for (const [i, op] of (t.ops as unknown[]).entries()) {
    const o = op as { op?: unknown; object?: unknown; event?: unknown } | null;
    const kind = typeof o === 'object' && o !== null ? o.op : undefined;
    const problem =
      kind === 'put' || kind === 'delete' ? checkObject(o?.object) : kind === 'event' ? checkEvent(o?.event) : 'unknown operation';
    if (problem !== undefined) return { problem: `transaction ${t.rv} operation ${i}: ${problem}` };
  }
  return { record: t as TxnRecord };
}

function checkObject(value: unknown): string | undefined {
  const o = value as { kind?: unknown; metadata?: Record<string, unknown> | null } | null;
  if (typeof o !== 'object' || o === null) return 'object missing';
  if (!isKind(o.kind)) return `unknown kind ${JSON.stringify(o.kind)}`;
  const m = o.metadata;
  if (typeof m !== 'object' || m === null) return 'object without metadata';
  for (const field of ['name', 'namespace', 'uid', 'resourceVersion']) {
    if (typeof m[field] !== 'string') return `object without metadata.${field}`;
  }
  return undefined;
}

function checkEvent(value: unknown): string | undefined {
  const e = value as Partial<Record<keyof StoredEvent, unknown>> | null;
  if (typeof e !== 'object' || e === null) return 'event missing';
  const r = e.regarding as { kind?: unknown; namespace?: unknown; name?: unknown } | null | undefined;
  if (typeof r !== 'object' || r === null || !isKind(r.kind) || typeof r.namespace !== 'string' || typeof r.name !== 'string') {
    return 'event without a valid "regarding"';
  }
  const fields = ['type', 'reason', 'action', 'message', 'firstTimestamp', 'lastTimestamp'] as const;
  const missing = fields.find((f) => typeof e[f] !== 'string');
  if (missing !== undefined) return `event without "${missing}"`;
  return Number.isInteger(e.count) ? undefined : 'event without "count"';
}

function isRevision(value: unknown): value is number {
  return Number.isSafeInteger(value) && (value as number) >= 0;
}
