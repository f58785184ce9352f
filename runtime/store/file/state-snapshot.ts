import { closeSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Kind, ResourceOf } from '../../../api/index.js';
import { readStateFile } from './state-file-reader.js';
import type { ObjectIndex } from './object-index.js';

/** A state file's objects as they were when it was read. */
export interface StateSnapshot {
  /** The objects of `kind` in `namespace`, in key order; shared, never to be edited. */
  list<K extends Kind>(kind: K, namespace: string): readonly ResourceOf<K>[];
}

/**
 * Reads a state file once, as FileStore does on open (every line's checksum and shape checked, a
 * torn last line ignored, a corrupt file refused naming the line), but without what a store adds
 * for its lifetime — no lock, no watch of the file, no logger — for one-shot readers such as
 * `polyfleet inventory --list`, which Ansible starts anew for every run. A missing file is empty,
 * as a read-only store reads it.
 */
export function readStateSnapshot(path: string): StateSnapshot {
  const loaded = readStateFile(resolve(path), false, 0);
  if (loaded !== undefined) closeSync(loaded.fd);
  const objects: ObjectIndex | undefined = loaded?.state.objects;
  return {
    list: <K extends Kind>(kind: K, namespace: string) => (objects?.list(kind, (o) => o.metadata.namespace === namespace) ?? []).map((o) => o as ResourceOf<K>),
  };
}
