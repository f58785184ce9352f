/** The state file holds something no writer of ours produced; start-up stops and the file is left as it is. */
export class CorruptStateError extends Error {
  constructor(readonly path: string, readonly line: number, readonly offset: number, readonly problem: string) {
    super(`state file ${path} is corrupt at line ${line} (byte ${offset}): ${problem}; the file was left untouched`);
    this.name = 'CorruptStateError';
  }
}

/** The state file cannot be opened or read (permissions, a directory in its place, I/O errors). */
export class UnreadableStateError extends Error {
  constructor(readonly path: string, detail: string, options?: ErrorOptions) {
    super(`cannot read state file ${path}: ${detail}`, options);
    this.name = 'UnreadableStateError';
  }
}

/**
 * A flush to the state file failed, so what is on disk is unknown (after a failed fsync the kernel
 * may have dropped the data): the store refuses every further operation; a restart re-reads the file.
 */
export class StateFileFailedError extends Error {
  constructor(readonly path: string, what: string, options?: ErrorOptions) {
    super(`state file ${path}: ${what}; the store stopped and must be reopened`, options);
    this.name = 'StateFileFailedError';
  }
}

export function errnoDetail(e: unknown): string {
  const err = e as NodeJS.ErrnoException;
  return err.code !== undefined ? `${err.code}: ${err.message}` : err.message;
}
