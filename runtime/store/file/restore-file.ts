import { closeSync, mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import type { Resource } from '../../../api/index.js';
import type { StoredEvent } from '../../events/types.js';
import { ImportRefusedError } from '../dump/dump-errors.js';
import { acquireLock } from './file-lock.js';
import { acquireOwnership } from './ownership.js';
import { writeSnapshot } from './snapshot-writer.js';
import { errnoDetail, UnreadableStateError } from './state-file-errors.js';
import { readStateFile } from './state-file-reader.js';
import { State } from './state.js';
import type { TxnOp } from './state-records.js';

export interface RestoreFileOptions {
  readonly path: string;
  readonly installationId: string;
  readonly objects: readonly Resource[];
  /** Events about them, kept as they are (counts, timestamps). */
  readonly events?: readonly StoredEvent[];
  /** How long to wait for another process's write lock. Default 30 s. */
  readonly lockTimeoutMs?: number;
}

/**
 * Writes `objects` (uids, status, finalizers and all, as given) and the installation id into the
 * state file at `path`, as one snapshot: a crash leaves the file as it was or whole (temporary
 * file, fsync, rename). Refuses (ImportRefusedError) if the file holds any object, and
 * (OwnedByError) while a `polyfleet run` owns it; owns it itself meanwhile, so none starts on a
 * half-imported state. A file that exists but is empty (a `polyfleet get` made it) takes the
 * dump's id: with no Machine, no instance can carry its old one.
 */
export async function restoreStateFile(options: RestoreFileOptions): Promise<{ path: string; revision: number }> {
  const path = resolve(options.path);
  try {
    mkdirSync(dirname(path), { recursive: true });
  } catch (e) {
    throw new UnreadableStateError(path, `cannot create its directory (${errnoDetail(e)})`, { cause: e });
  }
  const ownership = acquireOwnership(path);
  try {
    const lock = await acquireLock(`${path}.lock`, 'import', options.lockTimeoutMs ?? 30_000);
    try {
      const existing = readStateFile(path, false, 1);
      if (existing !== undefined) closeSync(existing.fd);
      const held = existing?.state.objects.count() ?? 0;
      if (held > 0) throw new ImportRefusedError(`state ${path}`, `it already holds ${String(held)} objects (an import never merges); import into a new --state file, or delete this one first`);
      // Past every revision a reader of the old file saw, so none mistakes the new file for an older one.
      const revision = (existing?.state.rv ?? 0) + 1;
      const events = options.events ?? [];
      // Keeps every imported event; the store trims to its own limit per namespace when it opens the file.
      const state = new State(Math.max(1, events.length));
      state.installationId = options.installationId;
      state.applyTxn({
        t: 'txn',
        rv: revision,
        ops: [
          ...options.objects.map((object): TxnOp => ({ op: 'put', object: { ...object, metadata: { ...object.metadata, resourceVersion: String(revision) } } })),
          ...events.map((event): TxnOp => ({ op: 'event', event })),
        ],
      });
      await writeSnapshot(path, state);
      return { path, revision };
    } finally {
      lock.release();
    }
  } finally {
    ownership.release();
  }
}
