import { join } from 'node:path';
import { createFileExclusive, readDirIfExists, readFileIfExists } from './atomic-files.js';
import type { DeleteMarker, KillMarker, SimInstanceFiles, SimInstanceRecord, StopMarker } from './instance-record.js';
import { isInstanceId, parseDeleteMarker, parseKillMarker, parseRecord, parseStopMarker } from './instance-record.js';
import { parsedFilesOf, type ParsedFiles } from './parsed-files.js';
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
  const parsed = await parsedFilesOf(accountDir(dir, account));
  const path = recordPath(dir, account, id);
  const record = await parsed.read(`${id}.json`, () => readFileIfExists(path), (text) => parseRecord(path, text));
  if (record === undefined) return undefined;
  return withMarkers(dir, parsed, record, new Set(MARKERS));
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
    const walk = await walkInstances(dir, a, 500);
    for (let i = 0; i < walk.pages; i++) all.push(...(await walk.page(i)));
  }
  return all;
}

/** One walk over an account's instances: `pages` of them (at least one, empty for an account with none). */
export interface InstanceWalk {
  readonly pages: number;
  /** Page `index` (0-based) of the walk, in id order. */
  page(index: number): Promise<SimInstanceFiles[]>;
}

/**
 * The account's instances `pageSize` at a time, as a cloud's paginated listing hands them out: the
 * directory is read once, when the walk starts (an instance created during the walk shows in the
 * next one), and each page's files when it is asked for. An instance whose files are the same as at
 * the last walk is the same object, read and parsed once.
 */
export async function walkInstances(dir: string, account: string, pageSize: number): Promise<InstanceWalk> {
  const path = accountDir(dir, account);
  const { ids, markers } = instanceNames(await readDirIfExists(path));
  return {
    pages: Math.max(1, Math.ceil(ids.length / pageSize)),
    async page(index) {
      const parsed = await parsedFilesOf(path);
      const page = ids.slice(index * pageSize, (index + 1) * pageSize);
      const maskOf = (id: string): number => markers.get(id) ?? 0;
      // Only files not read before are read (and kept); a listing where nothing changed makes no promise per instance.
      const unread = page.filter((id) => parsed.composed(id, maskOf(id)) === undefined);
      const read = new Map(await Promise.all(unread.map(async (id) => [id, await instanceFiles(dir, account, parsed, id, maskOf(id))] as const)));
      return page.map((id) => parsed.composed(id, maskOf(id)) ?? read.get(id) ?? missing(id));
    },
  };
}

function missing(id: string): never {
  throw new Error(`sim instance ${id} was read for a listing and is not there`);
}

const MARKER_NAME = /^(sim-[0-9a-f]{16})\.(delete|kill|stop)\.json$/;
const MARKER_BIT: Readonly<Record<Marker, number>> = { delete: 1, kill: 2, stop: 4 };

/** The instance ids in `names`, sorted, and which markers each has (MARKER_BIT). */
function instanceNames(names: readonly string[]): { ids: string[]; markers: Map<string, number> } {
  const ids: string[] = [];
  const markers = new Map<string, number>();
  for (const name of names) {
    // test, not exec: no match array per file of a 10,000-instance listing.
    if (RECORD_NAME.test(name)) {
      ids.push(name.slice(0, -'.json'.length));
      continue;
    }
    const marker = MARKER_NAME.exec(name);
    if (marker?.[1] !== undefined) markers.set(marker[1], (markers.get(marker[1]) ?? 0) | MARKER_BIT[marker[2] as Marker]);
  }
  return { ids: ids.sort(), markers };
}

async function instanceFiles(dir: string, account: string, parsed: ParsedFiles, id: string, mask: number): Promise<SimInstanceFiles> {
  const known = parsed.composed(id, mask);
  if (known !== undefined) return known;
  const path = recordPath(dir, account, id);
  const record = await parsed.read(`${id}.json`, () => readFileIfExists(path), (text) => parseRecord(path, text));
  if (record === undefined) throw new Error(`${path} was listed and is gone: sim instance files are never removed`);
  return parsed.compose(id, mask, await withMarkers(dir, parsed, record, new Set(MARKERS.filter((m) => (mask & MARKER_BIT[m]) !== 0))));
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

async function withMarkers(dir: string, parsed: ParsedFiles, record: SimInstanceRecord, markers: ReadonlySet<Marker>): Promise<SimInstanceFiles> {
  const read = async <T>(m: Marker, parse: (path: string, text: string) => T): Promise<T | undefined> => {
    if (!markers.has(m)) return undefined;
    const path = markerPath(dir, record, m);
    return parsed.read(`${record.id}.${m}.json`, () => readFileIfExists(path), (text) => parse(path, text));
  };
  const [deleted, killed, stopped] = await Promise.all([read('delete', parseDeleteMarker), read('kill', parseKillMarker), read('stop', parseStopMarker)]);
  return { record, ...(deleted === undefined ? {} : { deleted }), ...(killed === undefined ? {} : { killed }), ...(stopped === undefined ? {} : { stopped }) };
}

function recordPath(dir: string, account: string, id: string): string {
  return join(accountDir(dir, account), `${id}.json`);
}

function markerPath(dir: string, record: SimInstanceRecord, marker: Marker): string {
  return join(accountDir(dir, record.account), `${record.id}.${marker}.json`);
}
