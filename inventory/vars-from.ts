import { parse } from 'yaml';
import type { HostGroup, HostVars } from '../api/index.js';
import type { ReadonlyDeep } from '../runtime/store/index.js';

/** Reads one data key of a ConfigMap or a Secret; undefined when the object or key is not there. */
export interface VarsSourceReader {
  /** `refused` says the key is there but cannot be read (standalone: a file without read rights). */
  configMapKey(namespace: string, name: string, key: string): Promise<string | undefined | { refused: string }>;
  /** Only a Secret of type polyfleet.io/credentials may be used; `refused` says the Secret exists but is not one. */
  secretKey(namespace: string, name: string, key: string): Promise<string | undefined | { refused: string }>;
}

export interface ResolvedVarsFrom {
  /** HostGroup name → the maps its varsFrom entries hold, in order (those that could be read). */
  readonly varsFrom: ReadonlyMap<string, readonly HostVars[]>;
  /** What could not be read, naming the HostGroup, the entry and the object; never a value. */
  readonly problems: readonly string[];
}

/** Reads every varsFrom entry of `groups` (one namespace) through `reader`. */
export async function resolveVarsFrom(namespace: string, groups: readonly ReadonlyDeep<HostGroup>[], reader: VarsSourceReader): Promise<ResolvedVarsFrom> {
  const varsFrom = new Map<string, HostVars[]>();
  const problems: string[] = [];
  for (const g of groups) {
    const sources = g.spec.varsFrom ?? [];
    if (sources.length === 0) continue;
    const maps: HostVars[] = [];
    for (const [i, source] of sources.entries()) {
      const where = `HostGroup "${g.metadata.name}" varsFrom[${i}]`;
      const ref = source.configMapKeyRef ?? source.secretKeyRef;
      if (ref === undefined) continue;
      const what = `${source.configMapKeyRef === undefined ? 'Secret' : 'ConfigMap'} "${ref.name}" key "${ref.key}"`;
      const text = source.configMapKeyRef === undefined ? await reader.secretKey(namespace, ref.name, ref.key) : await reader.configMapKey(namespace, ref.name, ref.key);
      if (text === undefined) problems.push(`${where}: ${what} not found`);
      else if (typeof text !== 'string') problems.push(`${where}: ${what} not used: ${text.refused}`);
      else {
        const vars = yamlMap(text);
        if (vars === undefined) problems.push(`${where}: ${what} is not a YAML map of variables`);
        else maps.push(vars);
      }
    }
    varsFrom.set(g.metadata.name, maps);
  }
  return { varsFrom, problems };
}

/** The text as a map, or undefined; the parser's own message is dropped, as it may quote a Secret. */
function yamlMap(text: string): HostVars | undefined {
  try {
    // As Ansible would read the same text from a vars file: YAML 1.1 (yes is true, 017 is 15).
    const value: unknown = parse(text, { version: '1.1' });
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as HostVars) : undefined;
  } catch {
    return undefined;
  }
}
