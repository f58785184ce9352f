import { randomBytes } from 'node:crypto';
import { link, mkdir, open, readFile, readdir, rename, unlink } from 'node:fs/promises';
import { dirname, join } from 'node:path';

/**
 * File writes that another process, or this one after a SIGKILL, sees either whole or not at all:
 * the bytes go to a temp file in `tmpDir` (same filesystem), are fsynced, then appear under their
 * name in one step (rename, or link for create-if-absent).
 */

/** Writes `data` to `path`, replacing what is there. */
export async function writeFileAtomic(path: string, data: string, tmpDir: string): Promise<void> {
  const temp = await writeTemp(data, tmpDir);
  try {
    await mkdir(dirname(path), { recursive: true });
    await rename(temp, path);
  } catch (e) {
    await unlink(temp).catch(ignore);
    throw e;
  }
  await fsyncDirectory(dirname(path));
}

/**
 * Creates `path` holding `data` unless it exists. Returns false, writing nothing, if it exists.
 * link(2) is the exclusive create that also carries content: an O_EXCL open followed by a write
 * would leave an empty file to anyone who reads, or crashes, between the two.
 */
export async function createFileExclusive(path: string, data: string, tmpDir: string): Promise<boolean> {
  const temp = await writeTemp(data, tmpDir);
  try {
    await mkdir(dirname(path), { recursive: true });
    await link(temp, path);
  } catch (e) {
    if (errorCode(e) === 'EEXIST') return false;
    throw e;
  } finally {
    await unlink(temp).catch(ignore);
  }
  await fsyncDirectory(dirname(path));
  return true;
}

export async function readFileIfExists(path: string): Promise<string | undefined> {
  try {
    return await readFile(path, 'utf8');
  } catch (e) {
    if (errorCode(e) === 'ENOENT') return undefined;
    throw e;
  }
}

/** Names in `dir`, or none if it does not exist yet. */
export async function readDirIfExists(dir: string): Promise<string[]> {
  try {
    return await readdir(dir);
  } catch (e) {
    if (errorCode(e) === 'ENOENT') return [];
    throw e;
  }
}

/** Removes temp files left by processes that died between writing and renaming them. */
export async function sweepStaleTemps(tmpDir: string): Promise<void> {
  for (const name of await readDirIfExists(tmpDir)) {
    const pid = Number(name.split('-')[0]);
    if (Number.isInteger(pid) && pid > 0 && !isAlive(pid)) await unlink(join(tmpDir, name)).catch(ignore);
  }
}

export function errorCode(e: unknown): string | undefined {
  return typeof e === 'object' && e !== null && 'code' in e && typeof e.code === 'string' ? e.code : undefined;
}

async function writeTemp(data: string, tmpDir: string): Promise<string> {
  await mkdir(tmpDir, { recursive: true });
  const temp = join(tmpDir, `${process.pid}-${randomBytes(6).toString('hex')}.tmp`);
  const handle = await open(temp, 'wx');
  try {
    await handle.writeFile(data, 'utf8');
    await handle.sync();
  } finally {
    await handle.close();
  }
  return temp;
}

/** A rename or link is durable only once its directory is synced too. */
async function fsyncDirectory(dir: string): Promise<void> {
  const handle = await open(dir, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return errorCode(e) === 'EPERM';
  }
}

function ignore(): void {
  // Best effort: a temp file that cannot be removed is swept later.
}
