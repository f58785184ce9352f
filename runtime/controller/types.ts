import type { Kind } from '../../api/index.js';
import type { Logger } from '../log.js';
import type { ObjectKey } from '../store/index.js';

/** What a reconcile asks for next (controller-runtime's reconcile.Result). */
export interface Result {
  /** Run again this long from now, though nothing changed: how a controller waits for a deadline without sleeping. */
  readonly requeueAfterMs?: number;
}

/** Nothing more to do until something changes. */
export const done: Result = Object.freeze({});

/** What the runtime hands each reconcile besides the key. */
export interface ReconcileContext {
  /** A child logger carrying {controller, kind, namespace, name, reconcileId}. */
  readonly log: Logger;
  /**
   * Aborted when the manager no longer waits for this reconcile (the shutdown deadline passed) or
   * this process lost leadership: finish or give up before the next write.
   */
  readonly signal: AbortSignal;
  readonly reconcileId: string;
}

/**
 * A level-based reconciler of one kind: it gets a key, never an event, reads the world and
 * converges it. It must be idempotent and safe to run twice.
 * An error is retried with per-key backoff; a TerminalError is not; a ConflictError (a stale
 * read) is retried with backoff too, logged at debug only.
 */
export interface ControllerDefinition<K extends Kind = Kind> {
  /** Unique in a manager; the `controller` label of metrics and logs. */
  readonly name: string;
  readonly kind: K;
  reconcile(ctx: ReconcileContext, key: ObjectKey): Promise<Result>;
  /** How many keys are reconciled at once; default 1, as controller-runtime. */
  readonly maxConcurrentReconciles?: number;
}

/** controller_runtime_reconcile_total's `result` label. */
export type ReconcileOutcome = 'success' | 'error' | 'requeue' | 'requeue_after';

/** What a controller reports, kept free of any metrics library (runtime/metrics implements it). */
export interface ReconcileMetrics {
  /** One reconcile ended (reconcile_total, reconcile_time_seconds, and reconcile_errors_total on error). */
  reconciled(outcome: ReconcileOutcome, seconds: number): void;
  /** The error was terminal and will not be retried (terminal_reconcile_errors_total). */
  terminalError(): void;
  /** Reconciles running now (active_workers). */
  activeWorkers(count: number): void;
  /** The concurrency bound (max_concurrent_reconciles). */
  maxConcurrentReconciles(count: number): void;
}

export const noReconcileMetrics: ReconcileMetrics = {
  reconciled() {},
  terminalError() {},
  activeWorkers() {},
  maxConcurrentReconciles() {},
};
