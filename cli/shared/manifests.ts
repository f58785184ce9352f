import { readdir, readFile, stat } from 'node:fs/promises';
import { extname, join } from 'node:path';
import { parseResource, type Resource } from '../../api/index.js';
import { DEFAULT_NAMESPACE } from '../../runtime/store/index.js';
import { ManifestError } from './command-errors.js';

export { ManifestError };

/** One object read from a file, with where it came from for messages. */
export interface Manifest {
  /** e.g. "examples/quickstart/nodepool.yaml, document 1" */
  readonly source: string;
  readonly object: Resource;
}

const MANIFEST_EXTENSIONS = ['.yaml', '.yml', '.json'];

/**
 * Reads every object of the given files and directories (a directory: its .yaml, .yml and .json
 * files, by name, not recursing, as `kubectl apply -f DIR` does), validated and defaulted by the
 * api schemas. All or nothing: one bad document fails the whole set before anything is written.
 */
export async function loadManifests(paths: readonly string[]): Promise<Manifest[]> {
  const files = (await Promise.all(paths.map(filesOf))).flat();
  const manifests = (await Promise.all(files.map(loadFile))).flat();
  rejectDuplicates(manifests);
  return manifests;
}

async function filesOf(path: string): Promise<string[]> {
  let isDirectory: boolean;
  try {
    isDirectory = (await stat(path)).isDirectory();
  } catch (e) {
    throw new ManifestError(`cannot read ${path}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
  if (!isDirectory) return [path];
  const names = (await readdir(path)).filter((n) => MANIFEST_EXTENSIONS.includes(extname(n).toLowerCase())).sort();
  if (names.length === 0) throw new ManifestError(`${path}: no .yaml, .yml or .json files in this directory`);
  return names.map((n) => join(path, n));
}

async function loadFile(file: string): Promise<Manifest[]> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (e) {
    throw new ManifestError(`cannot read ${file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
  const documents = extname(file).toLowerCase() === '.json' ? [parseJson(file, text)] : await parseYaml(file, text);
  return documents.flatMap((doc, i) => (doc === null || doc === undefined ? [] : toManifests(doc, `${file}, document ${i + 1}`)));
}

function parseJson(file: string, text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch (e) {
    throw new ManifestError(`${file}: not valid JSON: ${(e as Error).message}`);
  }
}

async function parseYaml(file: string, text: string): Promise<unknown[]> {
  // Loaded on first use: every command knows ManifestError, few read manifests.
  const { parseAllDocuments } = await import('yaml');
  return parseAllDocuments(text).map((doc, i) => {
    const error = doc.errors[0];
    if (error !== undefined) {
      const line = error.linePos?.[0].line;
      throw new ManifestError(`${file}, document ${i + 1}${line === undefined ? '' : `, line ${line}`}: not valid YAML: ${error.message.split('\n')[0] ?? ''}`);
    }
    return doc.toJS() as unknown;
  });
}

/** A document is one object, or a kubectl `List` of them. */
function toManifests(doc: unknown, source: string): Manifest[] {
  if (isList(doc)) return doc.items.flatMap((item, i) => toManifests(item, `${source}, items[${i}]`));
  const parsed = parseResource(doc);
  if (!parsed.ok) {
    const name = (doc as { metadata?: { name?: unknown } } | null)?.metadata?.name;
    const what = typeof name === 'string' ? ` (${String((doc as { kind?: unknown }).kind)} "${name}")` : '';
    throw new ManifestError(`${source}${what}: ${parsed.issues.map((i) => `${i.path || '(root)'}: ${i.message}`).join('; ')}`);
  }
  return [{ source, object: parsed.value }];
}

function isList(doc: unknown): doc is { items: unknown[] } {
  const d = doc as { kind?: unknown; items?: unknown } | null;
  return typeof d === 'object' && d !== null && d.kind === 'List' && Array.isArray(d.items);
}

function rejectDuplicates(manifests: readonly Manifest[]): void {
  const seen = new Map<string, string>();
  for (const m of manifests) {
    const key = `${m.object.kind}/${m.object.metadata.namespace ?? DEFAULT_NAMESPACE}/${m.object.metadata.name}`;
    const first = seen.get(key);
    if (first !== undefined) throw new ManifestError(`${m.source}: ${m.object.kind} "${m.object.metadata.name}" is also in ${first}; each object once`);
    seen.set(key, m.source);
  }
}
