import { DNS_LABEL, isKind, parseKind, type FieldIssue, type Kind } from '../../../api/index.js';
import { AlreadyExistsError, ConflictError, InvalidError, NotFoundError } from '../errors.js';
import { keyOf, type DeleteOptions, type ObjectKey, type Patch } from '../types.js';
import { cascadeOps, deleteOp } from './garbage-collector.js';
import { applyJsonPatch, JsonPatchError } from './json-patch.js';
import { cloneJson, isJsonObject, jsonEqual } from './json-value.js';
import { applyMergePatch } from './merge-patch.js';
import type { ObjectIndex } from './object-index.js';
import type { StoredObject, TxnOp } from './state-records.js';
import type { WriteContext } from './write-context.js';

/**
 * The API server's rules for each write, as pure functions from the current objects to the
 * operations of one transaction (nothing is applied here). An empty `ops` is a no-op write: like
 * the API server, it leaves resourceVersion alone.
 */
export interface Planned<T> {
  readonly ops: TxnOp[];
  readonly result: T;
}

type Incoming = { kind: string; metadata: Record<string, unknown> & { name: string; namespace?: string }; status?: unknown };

export function planCreate(objects: ObjectIndex, input: Incoming, ctx: WriteContext): Planned<StoredObject> {
  const { kind, key } = identify(input);
  const copy = cloneJson(input);
  if (copy.metadata.resourceVersion !== undefined) {
    throw new InvalidError(kind, key, [{ path: 'metadata.resourceVersion', message: 'must be empty when creating an object' }]);
  }
  const metadata: Record<string, unknown> = { ...copy.metadata, namespace: key.namespace, uid: ctx.newUid(), resourceVersion: ctx.revision, generation: 1, creationTimestamp: ctx.now };
  delete metadata.deletionTimestamp;
  // Status is the controllers' to write, through updateStatus, even on create (as for CRDs with a status subresource).
  const object = validate(kind, key, { ...copy, metadata: normalizeMetadata(metadata), status: undefined });
  if (objects.get(kind, key) !== undefined) throw new AlreadyExistsError(kind, key);
  return withCascade(objects, [{ op: 'put', object }], object, ctx);
}

export function planUpdate(objects: ObjectIndex, input: Incoming, ctx: WriteContext): Planned<StoredObject> {
  const { kind, key } = identify(input);
  const current = requireCurrent(objects, kind, key);
  checkPreconditions(kind, key, current, input.metadata);
  return planReplace(objects, kind, key, current, cloneJson(input), ctx);
}

export function planUpdateStatus(objects: ObjectIndex, input: Incoming, ctx: WriteContext): Planned<StoredObject> {
  const { kind, key } = identify(input);
  const current = requireCurrent(objects, kind, key);
  checkPreconditions(kind, key, current, input.metadata);
  const object = validate(kind, key, { ...current, status: cloneJson(input.status) });
  if (jsonEqual(object, current)) return { ops: [], result: current };
  const written = { ...object, metadata: { ...object.metadata, resourceVersion: ctx.revision } };
  return { ops: [{ op: 'put', object: written }], result: written };
}

export function planPatch(objects: ObjectIndex, kind: Kind, key: ObjectKey, patch: Patch, ctx: WriteContext): Planned<StoredObject> {
  const current = requireCurrent(objects, kind, key);
  const patched = applyPatch(kind, key, current, patch);
  const metadata = isJsonObject(patched.metadata) ? patched.metadata : {};
  if (metadata.name !== current.metadata.name || (metadata.namespace ?? key.namespace) !== key.namespace) {
    throw new InvalidError(kind, key, [{ path: 'metadata.name', message: 'a patch may not rename an object or move it to another namespace' }]);
  }
  // A resourceVersion or uid left in the patched object is a precondition, as the API server takes it.
  checkPreconditions(kind, key, current, { ...metadata, resourceVersion: metadata.resourceVersion ?? current.metadata.resourceVersion });
  return planReplace(objects, kind, key, current, { ...patched, metadata }, ctx);
}

export function planDelete(objects: ObjectIndex, kind: Kind, key: ObjectKey, options: DeleteOptions, ctx: WriteContext): Planned<undefined> {
  const current = requireCurrent(objects, kind, key);
  if (options.uid !== undefined && options.uid !== current.metadata.uid) {
    throw new ConflictError(kind, key, `precondition failed: uid ${options.uid}, but the object's is ${current.metadata.uid ?? ''}`);
  }
  if (options.resourceVersion !== undefined && options.resourceVersion !== current.metadata.resourceVersion) {
    throw new ConflictError(kind, key, `precondition failed: resourceVersion ${options.resourceVersion}, but the object is at ${current.metadata.resourceVersion ?? ''}`);
  }
  if (current.metadata.deletionTimestamp !== undefined) return { ops: [], result: undefined };
  return withCascade(objects, [deleteOp(current, ctx)], undefined, ctx);
}

/** update and patch: metadata and spec from `candidate`; what the server owns (uid, timestamps, generation, status) from `current`. */
function planReplace(objects: ObjectIndex, kind: Kind, key: ObjectKey, current: StoredObject, candidate: Record<string, unknown> & { metadata: Record<string, unknown> }, ctx: WriteContext): Planned<StoredObject> {
  const { metadata: cur } = current;
  const metadata = normalizeMetadata({
    ...candidate.metadata,
    namespace: key.namespace,
    uid: cur.uid,
    creationTimestamp: cur.creationTimestamp,
    deletionTimestamp: cur.deletionTimestamp,
    generation: cur.generation,
    resourceVersion: cur.resourceVersion,
  });
  checkFinalizersWhileDeleting(kind, key, current, metadata.finalizers);
  const object = validate(kind, key, { ...candidate, metadata, status: current.status });
  if (jsonEqual(object, current)) return { ops: [], result: current };
  const generation = (cur.generation ?? 1) + (jsonEqual(object.spec, current.spec) ? 0 : 1);
  const written = { ...object, metadata: { ...object.metadata, generation, resourceVersion: ctx.revision } } as StoredObject;
  const finished = written.metadata.deletionTimestamp !== undefined && (written.metadata.finalizers ?? []).length === 0;
  return withCascade(objects, [{ op: finished ? 'delete' : 'put', object: written }], written, ctx);
}

function withCascade<T>(objects: ObjectIndex, ops: TxnOp[], result: T, ctx: WriteContext): Planned<T> {
  return { ops: [...ops, ...cascadeOps(objects, ops, ctx)], result };
}

function identify(input: Incoming): { kind: Kind; key: ObjectKey } {
  const key = keyOf(input);
  if (!isKind(input.kind)) throw new Error(`unknown kind ${JSON.stringify(input.kind)}`);
  if (!DNS_LABEL.test(key.namespace)) {
    throw new InvalidError(input.kind, key, [{ path: 'metadata.namespace', message: 'must be a DNS label: lowercase letters, digits and "-"' }]);
  }
  return { kind: input.kind, key };
}

function requireCurrent(objects: ObjectIndex, kind: Kind, key: ObjectKey): StoredObject {
  const current = objects.get(kind, key);
  if (current === undefined) throw new NotFoundError(kind, key);
  return current;
}

function checkPreconditions(kind: Kind, key: ObjectKey, current: StoredObject, metadata: Record<string, unknown>): void {
  const { resourceVersion, uid } = metadata;
  if (resourceVersion === undefined || resourceVersion === '') {
    throw new InvalidError(kind, key, [{ path: 'metadata.resourceVersion', message: 'must be specified for an update' }]);
  }
  if (resourceVersion !== current.metadata.resourceVersion) {
    throw new ConflictError(kind, key, 'the object has been modified; read it again and retry the change on the latest version');
  }
  if (uid !== undefined && uid !== current.metadata.uid) {
    throw new ConflictError(kind, key, `precondition failed: uid ${JSON.stringify(uid)}, but the object's is ${current.metadata.uid ?? ''}`);
  }
}

function checkFinalizersWhileDeleting(kind: Kind, key: ObjectKey, current: StoredObject, finalizers: unknown): void {
  if (current.metadata.deletionTimestamp === undefined || !Array.isArray(finalizers)) return;
  const had = new Set(current.metadata.finalizers ?? []);
  if (finalizers.some((f) => !had.has(f as string))) {
    throw new InvalidError(kind, key, [{ path: 'metadata.finalizers', message: 'no new finalizers can be added while the object is being deleted' }]);
  }
}

function applyPatch(kind: Kind, key: ObjectKey, current: StoredObject, patch: Patch): Record<string, unknown> {
  let patched: unknown;
  try {
    patched = patch.type === 'merge' ? applyMergePatch(cloneJson(current), patch.patch) : applyJsonPatch(current, patch.ops);
  } catch (e) {
    if (e instanceof JsonPatchError) throw new InvalidError(kind, key, [{ path: e.path || '(root)', message: e.message }], { cause: e });
    throw e;
  }
  if (!isJsonObject(patched)) throw new InvalidError(kind, key, [{ path: '(root)', message: 'the patched object is not an object' }]);
  return patched;
}

/** The API server omits empty lists and maps from metadata; so do we, so equal objects compare equal. */
function normalizeMetadata(metadata: Record<string, unknown>): Record<string, unknown> {
  const result: Record<string, unknown> = {};
  for (const [field, value] of Object.entries(metadata)) {
    if (value === undefined || value === null) continue;
    if (Array.isArray(value) && value.length === 0) continue;
    if (isJsonObject(value) && Object.keys(value).length === 0 && (field === 'labels' || field === 'annotations')) continue;
    result[field] = value;
  }
  return result;
}

function validate(kind: Kind, key: ObjectKey, candidate: unknown): StoredObject {
  const parsed = parseKind(kind, candidate);
  if (!parsed.ok) throw new InvalidError(kind, key, parsed.issues satisfies FieldIssue[]);
  return parsed.value;
}
