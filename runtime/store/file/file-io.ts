import { open, type FileHandle } from 'node:fs/promises';

/** Writes all of `data` at `position`: a regular file may take a write in several parts. */
export async function writeFully(handle: FileHandle, data: Buffer, position: number): Promise<void> {
  let written = 0;
  while (written < data.length) {
    const { bytesWritten } = await handle.write(data, written, data.length - written, position + written);
    written += bytesWritten;
  }
}

/** Makes a rename or create in `dir` durable: the file's own fsync does not cover its directory entry. */
export async function fsyncDirectory(dir: string): Promise<void> {
  const handle = await open(dir, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}
