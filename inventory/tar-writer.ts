import type { BundleFile } from './bundle.js';

const BLOCK = 512;

/**
 * A POSIX (ustar) tar stream of `files`, one header and its data at a time; a path too long for
 * ustar gets a pax header first, as GNU tar and bsdtar write and read them. Gzip it to make a .tgz.
 */
export async function* tarStream(files: Iterable<BundleFile> | AsyncIterable<BundleFile>, mtime: Date): AsyncGenerator<Buffer> {
  const seconds = Math.floor(mtime.getTime() / 1000);
  for await (const file of files) {
    if (Buffer.byteLength(file.path) > 100) {
      const record = paxRecord('path', file.path);
      yield header('PaxHeader', record.length, seconds, 'x');
      yield padded(record);
    }
    yield header(file.path.slice(0, 100), file.content.length, seconds, '0');
    yield padded(file.content);
  }
  yield Buffer.alloc(BLOCK * 2);
}

function header(name: string, size: number, mtime: number, type: '0' | 'x'): Buffer {
  const h = Buffer.alloc(BLOCK);
  h.write(name, 0, 100, 'utf8');
  h.write(octal(0o644, 8), 100);
  h.write(octal(0, 8), 108);
  h.write(octal(0, 8), 116);
  h.write(octal(size, 12), 124);
  h.write(octal(mtime, 12), 136);
  h.fill(' ', 148, 156);
  h.write(type, 156);
  h.write('ustar\u000000', 257, 'latin1');
  let sum = 0;
  for (const byte of h) sum += byte;
  h.write(`${sum.toString(8).padStart(6, '0')}\u0000 `, 148, 'latin1');
  return h;
}

function octal(n: number, width: number): string {
  return `${n.toString(8).padStart(width - 1, '0')}\u0000`;
}

function padded(data: Buffer): Buffer {
  const rest = data.length % BLOCK;
  return rest === 0 ? data : Buffer.concat([data, Buffer.alloc(BLOCK - rest)]);
}

/** "<length> <key>=<value>\n", the length counting itself. */
function paxRecord(key: string, value: string): Buffer {
  const body = ` ${key}=${value}\n`;
  const bodyLength = Buffer.byteLength(body);
  let length = bodyLength + String(bodyLength).length;
  if (String(length).length !== String(bodyLength).length) length = bodyLength + String(length).length;
  return Buffer.from(`${length}${body}`);
}
