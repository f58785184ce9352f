import { dirname } from 'node:path';
import type { StoreLocation } from './store-flags.js';
import { UsageError } from './usage-error.js';

/** The help of --sources-dir, the same on `run` and `inventory`. */
export const SOURCES_DIR_HELP = `  --sources-dir DIR     the ConfigMaps and Secrets HostGroup varsFrom and secrets name, as files laid
                        out as Kubernetes mounts them: DIR/configmaps/<namespace>/<name>/<key> and
                        DIR/secrets/<namespace>/<name>/<key> (default $POLYFLEET_SOURCES_DIR, else the
                        state file's directory; on an etcd store, none unless given)`;

export const sourcesDirOption = { 'sources-dir': { type: 'string' } } as const;

/**
 * The directory of a standalone installation's ConfigMaps and Secrets: --sources-dir, else
 * $POLYFLEET_SOURCES_DIR, else beside the state file; an etcd store holds none, so none unless given.
 */
export function sourcesDir(flag: string | undefined, location: StoreLocation, env: NodeJS.ProcessEnv = process.env): string | undefined {
  if (flag === '') throw new UsageError('--sources-dir needs a directory');
  const given = flag ?? (env.POLYFLEET_SOURCES_DIR === '' ? undefined : env.POLYFLEET_SOURCES_DIR);
  if (given !== undefined) return given;
  return location.kind === 'file' ? dirname(location.path) : undefined;
}
