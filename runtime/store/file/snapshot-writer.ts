import { mkdirSync, statSync } from 'node:fs';
import { open, rename, rm } from 'node:fs/promises';
import { dirname } from 'node:path';
import { acquireLock } from './file-lock.js';
import { fsyncDirectory, writeFully } from './file-io.js';
import { encodeRecord } from './record-codec.js';
import { errnoDetail, UnreadableStateError } from './state-file-errors.js';
import { STATE_FORMAT, STATE_FORMAT_VERSION, type StateRecord } from './state-records.js';
import { State } from './state.js';

const CHUNK_BYTES = 1 << 20;

/**
 * Replaces the file at `path` with a snapshot of `state`, so that a crash at any instant leaves
 * either the old file or the complete new one: write a temporary file, fsync it, rename it over
 * `path`, fsync the directory. Callers hold the write lock; the temporary name is fixed so a
 * leftover from a crash is simply overwritten by the next snapshot.
 */
export async function writeSnapshot(path: string, state: State): Promise<{ bytes: number; lines: number }> {
  const tmp = `${path}.compacting`;
  const handle = await open(tmp, 'w', 0o644);
  let written: { bytes: number; lines: number };
  try {
    written = await writeRecords(handle, snapshotRecords(state));
    await handle.sync();
  } catch (e) {
    await handle.close();
    await rm(tmp, { force: true });
    throw e;
  }
  await handle.close();
  await rename(tmp, path);
  await fsyncDirectory(dirname(path));
  return written;
}

/**
 * Creates an empty state file (and its directory) unless another process did first; never
 * half-written. Its header carries `installationId`: written whole or not at all (temporary file,
 * fsync, rename, directory fsync) under the lock, so every process that ever reads the file reads
 * the same id, and a crash before the rename leaves no file, to be created again with a new id that
 * nothing can have used yet (creating an instance takes a Machine, and writing one waits for this lock).
 */
export async function createStateFile(path: string, lockTimeoutMs: number, installationId: string): Promise<void> {
  try {
    mkdirSync(dirname(path), { recursive: true });
  } catch (e) {
    throw new UnreadableStateError(path, `cannot create its directory (${errnoDetail(e)})`, { cause: e });
  }
  const lock = await acquireLock(`${path}.lock`, 'create', lockTimeoutMs);
  try {
    if (!exists(path)) {
      const state = new State(0);
      state.installationId = installationId;
      await writeSnapshot(path, state);
    }
  } finally {
    lock.release();
  }
}

function exists(path: string): boolean {
  try {
    statSync(path);
    return true;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw new UnreadableStateError(path, errnoDetail(e), { cause: e });
  }
}

function* snapshotRecords(state: State): Generator<StateRecord> {
  const { installationId } = state;
  yield { t: 'header', format: STATE_FORMAT, version: STATE_FORMAT_VERSION, rv: state.rv, ...(installationId === undefined ? {} : { installationId }) };
  for (const object of state.objects.all()) yield { t: 'object', object };
  for (const event of state.events.all()) yield { t: 'event', event };
}

async function writeRecords(handle: Awaited<ReturnType<typeof open>>, records: Iterable<StateRecord>): Promise<{ bytes: number; lines: number }> {
  let position = 0;
  let lines = 0;
  let chunk: string[] = [];
  let chunkLength = 0;
  const flush = async (): Promise<void> => {
    const data = Buffer.from(chunk.join(''));
    await writeFully(handle, data, position);
    position += data.length;
    chunk = [];
    chunkLength = 0;
  };
  for (const record of records) {
    const line = encodeRecord(record);
    chunk.push(line);
    chunkLength += line.length;
    lines++;
    if (chunkLength >= CHUNK_BYTES) await flush();
  }
  await flush();
  return { bytes: position, lines };
}
