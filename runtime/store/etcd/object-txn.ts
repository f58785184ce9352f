import type { Namespace } from 'etcd3';
import type { StoredObject, TxnOp } from '../file/state-records.js';
import { keyOf } from '../types.js';
import { objectKey } from './etcd-keys.js';
import { encodeObject } from './object-codec.js';

/** One key a transaction writes, and the mod revision it was planned on (0: the key did not exist). */
export interface KeyWrite {
  readonly key: string;
  readonly expected: number;
  readonly op: 'put' | 'delete';
  readonly value: string;
}

export type TxnOutcome =
  | { readonly ok: true; readonly revision: number }
  /** Some key moved since the plan: `current` is each key's mod revision now (0: absent), in `writes` order. */
  | { readonly ok: false; readonly current: readonly number[] };

/**
 * The planned operations as writes of etcd keys; a later op on the same key replaces an earlier
 * one (the cascade may delete what the write itself put), as applying them in order would. A put
 * keeps the stored fields this version does not know (`withUnknownFields`).
 */
export function keyWrites(ops: readonly TxnOp[], modRevisionOf: (key: string) => number, withUnknownFields: (object: StoredObject) => StoredObject = (o) => o): KeyWrite[] {
  const byKey = new Map<string, KeyWrite>();
  for (const op of ops) {
    if (op.op === 'event') continue;
    const key = objectKey(op.object.kind, keyOf(op.object));
    byKey.set(key, { key, expected: modRevisionOf(key), op: op.op, value: op.op === 'put' ? encodeObject(withUnknownFields(op.object)) : '' });
  }
  return [...byKey.values()];
}

/**
 * Writes every key at once if none moved since it was read (etcd compares mod revisions inside
 * the transaction: optimistic concurrency without locks); otherwise writes nothing and reports
 * where each key is now.
 */
export async function commitKeyWrites(ns: Namespace, writes: readonly KeyWrite[]): Promise<TxnOutcome> {
  const [first, ...rest] = writes;
  if (first === undefined) throw new Error('commitKeyWrites: nothing to write');
  const compare = (w: KeyWrite): [string, 'Create' | 'Mod', '==', number] => (w.expected === 0 ? [w.key, 'Create', '==', 0] : [w.key, 'Mod', '==', w.expected]);
  let txn = ns.if(...compare(first));
  for (const w of rest) txn = txn.and(...compare(w));
  const res = await txn
    .then(...writes.map((w) => (w.op === 'put' ? ns.put(w.key).value(w.value) : ns.delete().key(w.key))))
    .else(...writes.map((w) => ns.get(w.key)))
    .commit();
  if (res.succeeded) return { ok: true, revision: Number(res.header.revision) };
  return { ok: false, current: res.responses.map((r) => Number(r.response_range.kvs[0]?.mod_revision ?? 0)) };
}
