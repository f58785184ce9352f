import { stat } from 'node:fs/promises';
import { errorCode } from './atomic-files.js';
import type { SimInstanceFiles } from './instance-record.js';

/**
 * What the sim's files said when first read, per account directory. Instance and marker files are
 * created whole and never rewritten or removed, so a file once parsed needs no second read: a
 * listing of 10,000 instances every 30 s re-read and re-parsed each one, which was most of an idle
 * controller's CPU and garbage. The directory's identity (device, inode and birth time) is checked
 * once per use, so a sim dir removed and made again under the same path is read afresh.
 */
export interface ParsedFiles {
  /** `name`'s parsed content, loading and parsing it only the first time; undefined if there is no such file. */
  read<T>(name: string, load: () => Promise<string | undefined>, parse: (text: string) => T): Promise<T | undefined>;
  /**
   * An instance with its markers, kept per `id` while `version` (which of its files exist) stays
   * the same, so a listing hands out the same object every time.
   */
  composed(id: string, version: number): SimInstanceFiles | undefined;
  compose(id: string, version: number, value: SimInstanceFiles): SimInstanceFiles;
}

interface DirEntry {
  readonly identity: string;
  readonly parsed: Map<string, unknown>;
  readonly composed: Map<string, { readonly version: number; readonly value: SimInstanceFiles }>;
}

const byDir = new Map<string, DirEntry>();

/** The parsed files of `dir` as of now: nothing cached for a directory that does not exist. */
export async function parsedFilesOf(dir: string): Promise<ParsedFiles> {
  const identity = await identityOf(dir);
  let entry = byDir.get(dir);
  if (entry === undefined || entry.identity !== identity) {
    entry = { identity, parsed: new Map(), composed: new Map() };
    if (identity === '') byDir.delete(dir);
    else byDir.set(dir, entry);
  }
  const { parsed, composed } = entry;
  return {
    async read<T>(name: string, load: () => Promise<string | undefined>, parse: (text: string) => T): Promise<T | undefined> {
      if (parsed.has(name)) return parsed.get(name) as T;
      const text = await load();
      if (text === undefined) return undefined;
      const value = parse(text);
      parsed.set(name, value);
      return value;
    },
    composed(id: string, version: number): SimInstanceFiles | undefined {
      const hit = composed.get(id);
      return hit !== undefined && hit.version === version ? hit.value : undefined;
    },
    compose(id: string, version: number, value: SimInstanceFiles): SimInstanceFiles {
      composed.set(id, { version, value });
      return value;
    },
  };
}

async function identityOf(dir: string): Promise<string> {
  try {
    const s = await stat(dir, { bigint: true });
    return `${s.dev}:${s.ino}:${s.birthtimeNs}`;
  } catch (e) {
    if (errorCode(e) === 'ENOENT') return '';
    throw e;
  }
}
