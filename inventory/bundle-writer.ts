import { createWriteStream } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGzip } from 'node:zlib';
import { bundleFiles, type BundleFile } from './bundle.js';
import type { Inventory } from './model.js';
import { tarStream } from './tar-writer.js';
import { zipStream } from './zip-writer.js';

export type BundleKind = 'tgz' | 'zip' | 'dir';

/** A .tgz or .tar.gz path is a gzipped tarball, a .zip path a zip, anything else a directory. */
export function bundleKindOf(target: string): BundleKind {
  if (/\.(tgz|tar\.gz)$/i.test(target)) return 'tgz';
  if (/\.zip$/i.test(target)) return 'zip';
  return 'dir';
}

/**
 * Writes the bundle to `target`, streaming: no more than one file of it is held at a time (and a
 * zip's directory). `extra` files (secrets/…) come after the bundle's own.
 */
export async function writeBundle(inventory: Inventory, target: string, mtime: Date, extra: readonly BundleFile[] = []): Promise<BundleKind> {
  const kind = bundleKindOf(target);
  const files = function* (): Generator<BundleFile> {
    yield* bundleFiles(inventory);
    yield* extra;
  };
  if (kind === 'dir') {
    for (const file of files()) {
      const path = join(target, file.path);
      await mkdir(dirname(path), { recursive: true });
      await writeFile(path, file.content);
    }
    return kind;
  }
  await mkdir(dirname(target), { recursive: true });
  const out = createWriteStream(target);
  if (kind === 'tgz') await pipeline(Readable.from(tarStream(files(), mtime)), createGzip(), out);
  else await pipeline(Readable.from(zipStream(files(), mtime)), out);
  return kind;
}
