// Whether dist/ was compiled from the sources as they are now. `npm run build` (bin/build.js)
// records, in dist/build-stamp.json, every file the build read — each source it compiled and the
// tsconfig files — with its size and modification time; dist/ is current while every one of them
// still has both. That is one stat per file (a few hundred, about a millisecond), never a read.
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** Where the stamp lives, relative to the package root. */
export const STAMP_PATH = 'dist/build-stamp.json';

/** [mtimeMs, size] of a file, or undefined if it cannot be stat'ed. */
export function fileStamp(path) {
  try {
    const s = statSync(path);
    return [s.mtimeMs, s.size];
  } catch {
    return undefined;
  }
}

/** Writes the stamp into `outDir` for `files` (paths relative to `root`, each with the [mtimeMs, size] it had when the build read it). */
export function writeStamp(outDir, files) {
  writeFileSync(join(outDir, 'build-stamp.json'), `${JSON.stringify({ files }, null, 1)}\n`);
}

/**
 * True when `root` has a dist/ built from its current sources: the stamp exists and every file it
 * names has the size and mtime it had when the build read it. A missing or unreadable stamp, a
 * changed, removed or unreadable file: false.
 */
export function isDistCurrent(root) {
  let files;
  try {
    ({ files } = JSON.parse(readFileSync(join(root, STAMP_PATH), 'utf8')));
  } catch {
    return false;
  }
  if (typeof files !== 'object' || files === null || Object.keys(files).length === 0) return false;
  for (const [file, recorded] of Object.entries(files)) {
    const now = fileStamp(join(root, file));
    if (now === undefined || !Array.isArray(recorded) || now[0] !== recorded[0] || now[1] !== recorded[1]) return false;
  }
  return true;
}
