/** A dump that `polyfleet state import` cannot use; the message names where it came from and the field. */
export class DumpError extends Error {
  constructor(readonly source: string, detail: string) {
    super(`${source}: ${detail}`);
    this.name = 'DumpError';
  }
}

/**
 * The store an import was pointed at already holds objects, or a controller runs on it: an import
 * never merges into or overwrites a live installation (two installations' objects, one id).
 */
export class ImportRefusedError extends Error {
  constructor(readonly target: string, detail: string) {
    super(`cannot import into ${target}: ${detail}`);
    this.name = 'ImportRefusedError';
  }
}
