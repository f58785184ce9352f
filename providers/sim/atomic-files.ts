import { randomBytes } from 'node:crypto';
import { link, mkdir, readFile, readdir, rename, stat, unlink, writeFile } from 'node:fs/promises';
import type { Stats } from 'node:fs';
import { dirname, join } from 'node:path';

/**
 * File writes that another process, or this one after a SIGKILL, sees either whole or not at all:
 * the bytes go to a temp file in `tmpDir` (same filesystem), then appear under their name in one
 * step (rename, or link for create-if-absent). Nothing is fsynced: the sim's files must outlive a
 * killed controller, and the page cache they are in does. An fsync guards against the host losing
 * power, which takes the simulated cloud down with it; two per create (file and directory) were
 * most of what a create cost, 50 creates at once queueing 100 fsyncs on libuv's four threads.
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

export async function statIfExists(path: string): Promise<Stats | undefined> {
  try {
    return await stat(path);
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
  await writeFile(temp, data, { encoding: 'utf8', flag: 'wx' });
  return temp;
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
