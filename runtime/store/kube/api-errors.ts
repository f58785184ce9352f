import { ApiException } from '@kubernetes/client-node';
import type { FieldIssue, Kind } from '../../../api/index.js';
import { AlreadyExistsError, ConflictError, GoneError, InvalidError, NotFoundError } from '../errors.js';
import type { ObjectKey } from '../types.js';

/** The parts of a metav1.Status the store reads. */
export interface KubeStatus {
  readonly code?: number;
  readonly reason?: string;
  readonly message?: string;
  readonly details?: { readonly causes?: readonly { readonly field?: string; readonly message?: string }[] };
}

/** The HTTP status and the API server's Status body of a failed call, if it was one. */
export function apiFailure(error: unknown): { code: number; status: KubeStatus } | undefined {
  if (error instanceof ApiException) return { code: error.code, status: parseStatus(error.body) };
  const code = (error as { statusCode?: unknown } | null)?.statusCode;
  return typeof code === 'number' ? { code, status: {} } : undefined;
}

function parseStatus(body: unknown): KubeStatus {
  if (typeof body === 'object' && body !== null) return body;
  if (typeof body !== 'string') return {};
  try {
    const parsed: unknown = JSON.parse(body);
    return typeof parsed === 'object' && parsed !== null ? parsed : { message: body };
  } catch {
    return { message: body };
  }
}

/**
 * The store error the API server's answer means (404, 409 Conflict vs AlreadyExists, 422 with
 * its causes, 410), or, for anything else, an Error naming the call, the object and the answer.
 */
export function toStoreError(error: unknown, verb: string, kind: Kind, key: ObjectKey): Error {
  const failure = apiFailure(error);
  if (failure === undefined) {
    const message = error instanceof Error ? error.message : String(error);
    return new Error(`${verb} ${kind} ${key.namespace}/${key.name}: ${message}`, { cause: error });
  }
  const { code, status } = failure;
  if (code === 404) return new NotFoundError(kind, key, { cause: error });
  if (code === 409 && status.reason === 'AlreadyExists') return new AlreadyExistsError(kind, key, { cause: error });
  if (code === 409) return new ConflictError(kind, key, status.message ?? 'conflict', { cause: error });
  if (code === 422) return new InvalidError(kind, key, fieldIssues(status), { cause: error });
  if (code === 410) return new GoneError(`${verb} ${kind} ${key.namespace}/${key.name}: ${status.message ?? 'gone'}`, { cause: error });
  return new Error(`${verb} ${kind} ${key.namespace}/${key.name}: HTTP ${code}${status.message ? `: ${status.message}` : ''}`, {
    cause: error,
  });
}

/** `details.causes`, each field named as the API server names it (e.g. "spec.redundancy"). */
function fieldIssues(status: KubeStatus): FieldIssue[] {
  const causes = status.details?.causes ?? [];
  if (causes.length === 0) return [{ path: '', message: status.message ?? 'invalid' }];
  return causes.map((c) => ({ path: c.field ?? '', message: c.message ?? status.message ?? 'invalid' }));
}
