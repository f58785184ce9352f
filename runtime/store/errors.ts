import type { FieldIssue, Kind } from '../../api/index.js';
import type { ObjectKey } from './types.js';

/** The failures a Store write can end in, named as the Kubernetes API names them (`reason`). */
export abstract class StoreError extends Error {
  abstract readonly reason: 'NotFound' | 'Conflict' | 'AlreadyExists' | 'Invalid' | 'Gone';
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = new.target.name;
  }
}

function describe(kind: Kind, key: ObjectKey): string {
  return `${kind} ${key.namespace}/${key.name}`;
}

export class NotFoundError extends StoreError {
  readonly reason = 'NotFound' as const;
  constructor(readonly kind: Kind, readonly key: ObjectKey, options?: ErrorOptions) {
    super(`${describe(kind, key)} not found`, options);
  }
}

/** A write carried a stale resourceVersion (or UID): re-read and retry. */
export class ConflictError extends StoreError {
  readonly reason = 'Conflict' as const;
  constructor(readonly kind: Kind, readonly key: ObjectKey, detail: string, options?: ErrorOptions) {
    super(`${describe(kind, key)}: ${detail}`, options);
  }
}

export class AlreadyExistsError extends StoreError {
  readonly reason = 'AlreadyExists' as const;
  constructor(readonly kind: Kind, readonly key: ObjectKey, options?: ErrorOptions) {
    super(`${describe(kind, key)} already exists`, options);
  }
}

/** The object breaks the schema; `causes` name each field the way the API server does. */
export class InvalidError extends StoreError {
  readonly reason = 'Invalid' as const;
  constructor(readonly kind: Kind, readonly key: ObjectKey, readonly causes: readonly FieldIssue[], options?: ErrorOptions) {
    super(`${describe(kind, key)} is invalid: ${causes.map((c) => `${c.path}: ${c.message}`).join('; ')}`, options);
  }
}

/** A watch or list asked for history the store no longer has: re-list. */
export class GoneError extends StoreError {
  readonly reason = 'Gone' as const;
}

export function isNotFound(e: unknown): e is NotFoundError {
  return e instanceof NotFoundError;
}

export function isConflict(e: unknown): e is ConflictError {
  return e instanceof ConflictError;
}

export function isAlreadyExists(e: unknown): e is AlreadyExistsError {
  return e instanceof AlreadyExistsError;
}

/** For deletes and cleanups where "already gone" is success. */
export function ignoreNotFound(e: unknown): void {
  if (!isNotFound(e)) throw e;
}
