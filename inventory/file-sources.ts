import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { VarsSourceReader } from './vars-from.js';

/** A Kubernetes object name (DNS subdomain) and a ConfigMap/Secret key: nothing that could leave the directory. */
const NAME = /^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/;
const KEY = /^[-._a-zA-Z0-9]+$/;

/**
 * ConfigMaps and Secrets of a standalone installation, which has no API server to keep them: files
 * laid out as Kubernetes mounts them, one file per key, beside the state file —
 * `<dir>/configmaps/<namespace>/<name>/<key>` and `<dir>/secrets/<namespace>/<name>/<key>`. They
 * are the user's own files, read with the user's own rights, so a Secret needs no type opt-in here:
 * putting it under secrets/ is the opt-in. A name or key Kubernetes would refuse is refused, never
 * turned into a path.
 */
export function fileVarsReader(dir: string): VarsSourceReader {
  const read = async (kind: 'configmaps' | 'secrets', namespace: string, name: string, key: string): Promise<string | undefined | { refused: string }> => {
    if (!NAME.test(namespace) || !NAME.test(name) || !KEY.test(key) || key === '.' || key === '..') return { refused: 'not a valid Kubernetes name or key' };
    try {
      return await readFile(join(dir, kind, namespace, name, key), 'utf8');
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code === 'ENOENT' || code === 'ENOTDIR') return undefined;
      // The error's code only: its message names the path, never the content, but says no more.
      return { refused: `${join(dir, kind, namespace, name, key)} cannot be read (${code ?? 'error'})` };
    }
  };
  return {
    configMapKey: (namespace, name, key) => read('configmaps', namespace, name, key),
    secretKey: (namespace, name, key) => read('secrets', namespace, name, key),
  };
}
