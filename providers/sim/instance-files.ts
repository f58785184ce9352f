import { join } from 'node:path';
import { createFileExclusive, readDirIfExists, readFileIfExists } from './atomic-files.js';
import type { DeleteMarker, KillMarker, SimInstanceFiles, SimInstanceRecord, StopMarker } from './instance-record.js';
import { isInstanceId, parseDeleteMarker, parseKillMarker, parseRecord, parseStopMarker } from './instance-record.js';
import { instancesDir, tmpDir } from './sim-dir.js';

/**
 * One directory per account under instances/, one file per instance, one per event that happened
 * to it. Every file is created exclusively and never rewritten, so concurrent processes cannot lose
 * each other's writes and a reader never sees half of one.
 */

const ACCOUNT_PATTERN = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;
const RECORD_NAME = /^(sim-[0-9a-f]{16})\.json$/;

const MARKERS = ['delete', 'kill', 'stop'] as const;
type Marker = (typeof MARKERS)[number];

export function isAccountName(name: string): boolean {
  return ACCOUNT_PATTERN.test(name);
}

export function accountDir(dir: string, account: string): string {
  if (!isAccountName(account)) throw new RangeError(`sim account name ${JSON.stringify(account)} is not a DNS label`);
  return join(instancesDir(dir), account);
}

/** Creates the instance unless its id exists; either way returns what is on disk now. */
export async function createInstanceFile(dir: string, record: SimInstanceRecord): Promise<{ created: boolean; files: SimInstanceFiles }> {
  const path = recordPath(dir, record.account, record.id);
  const created = await createFileExclusive(path, `${JSON.stringify(record, null, 2)}\n`, tmpDir(dir));
  if (created) return { created, files: { record } };
  const files = await readInstanceFiles(dir, record.account, record.id);
  if (files === undefined) throw new Error(`${path} existed a moment ago and is gone: sim instance files are never removed`);
  return { created, files };
}

export async function readInstanceFiles(dir: string, account: string, id: string): Promise<SimInstanceFiles | undefined> {
  if (!isInstanceId(id)) return undefined;
  const path = recordPath(dir, account, id);
  const text = await readFileIfExists(path);
  if (text === undefined) return undefined;
  return withMarkers(dir, parseRecord(path, text), new Set(MARKERS));
}

/** The instance with this id in any account: the CLI knows ids, not accounts. */
export async function findInstanceFiles(dir: string, id: string): Promise<SimInstanceFiles | undefined> {
  for (const account of await listAccounts(dir)) {
    const files = await readInstanceFiles(dir, account, id);
    if (files) return files;
  }
  return undefined;
}

export async function listAccounts(dir: string): Promise<string[]> {
  return (await readDirIfExists(instancesDir(dir))).filter(isAccountName).sort();
}

/** Every instance of `account`, or of every account, in account then id order. */
export async function listAllInstanceFiles(dir: string, account?: string): Promise<SimInstanceFiles[]> {
  const all: SimInstanceFiles[] = [];
  for (const a of account === undefined ? await listAccounts(dir) : [account]) {
    let after: string | undefined;
    do {
      const page = await listInstancePage(dir, a, after, 500);
      all.push(...page.files);
      after = page.next;
    } while (after !== undefined);
  }
  return all;
}

export interface InstancePage {
  readonly files: SimInstanceFiles[];
  /** Pass as `after` for the next page; absent on the last page. */
  readonly next?: string;
}

/** Up to `pageSize` instances of the account, in id order, after the id `after`. */
export async function listInstancePage(dir: string, account: string, after: string | undefined, pageSize: number): Promise<InstancePage> {
  const names = await readDirIfExists(accountDir(dir, account));
  const ids = names.flatMap((n) => RECORD_NAME.exec(n)?.[1] ?? []).sort();
  const start = after === undefined ? 0 : ids.findIndex((id) => id > after);
  const pageIds = start < 0 ? [] : ids.slice(start, start + pageSize);
  const present = new Set(names);
  const files = await Promise.all(
    pageIds.map(async (id) => {
      const path = recordPath(dir, account, id);
      const text = await readFileIfExists(path);
      if (text === undefined) throw new Error(`${path} was listed and is gone: sim instance files are never removed`);
      const markers = new Set(MARKERS.filter((m) => present.has(`${id}.${m}.json`)));
      return withMarkers(dir, parseRecord(path, text), markers);
    }),
  );
  const last = pageIds.at(-1);
  const more = start >= 0 && start + pageSize < ids.length;
  return more && last !== undefined ? { files, next: last } : { files };
}

/** Records the delete request; false if one was recorded before (the first one stands). */
export function writeDeleteMarker(dir: string, record: SimInstanceRecord, marker: DeleteMarker): Promise<boolean> {
  return createFileExclusive(markerPath(dir, record, 'delete'), `${JSON.stringify(marker)}\n`, tmpDir(dir));
}

/** Records the instance's death; false if it died before. */
export function writeKillMarker(dir: string, record: SimInstanceRecord, marker: KillMarker): Promise<boolean> {
  return createFileExclusive(markerPath(dir, record, 'kill'), `${JSON.stringify(marker)}\n`, tmpDir(dir));
}

/** Records the stop; false if one was recorded before. */
export function writeStopMarker(dir: string, record: SimInstanceRecord, marker: StopMarker): Promise<boolean> {
  return createFileExclusive(markerPath(dir, record, 'stop'), `${JSON.stringify(marker)}\n`, tmpDir(dir));
}

async function withMarkers(dir: string, record: SimInstanceRecord, markers: ReadonlySet<Marker>): Promise<SimInstanceFiles> {
  const read = async (m: Marker): Promise<string | undefined> => (markers.has(m) ? readFileIfExists(markerPath(dir, record, m)) : undefined);
  const [deleteText, killText, stopText] = await Promise.all([read('delete'), read('kill'), read('stop')]);
  return {
    record,
    ...(deleteText === undefined ? {} : { deleted: parseDeleteMarker(markerPath(dir, record, 'delete'), deleteText) }),
    ...(killText === undefined ? {} : { killed: parseKillMarker(markerPath(dir, record, 'kill'), killText) }),
    ...(stopText === undefined ? {} : { stopped: parseStopMarker(markerPath(dir, record, 'stop'), stopText) }),
  };
}

function recordPath(dir: string, account: string, id: string): string {
  return join(accountDir(dir, account), `${id}.json`);
}

function markerPath(dir: string, record: SimInstanceRecord, marker: Marker): string {
  return join(accountDir(dir, record.account), `${record.id}.${marker}.json`);
}
