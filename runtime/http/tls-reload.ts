import { readFileSync, statSync } from 'node:fs';
import type { Server as HttpsServer } from 'node:https';
import type { Logger } from '../log.js';

/** Where a server's certificate chain and key are read from, to pick up a renewed pair. */
export interface TlsFiles {
  readonly certFile: string;
  readonly keyFile: string;
}

const CHECK_EVERY_MS = 1_000;

/**
 * Serves a renewed certificate without a restart: the two files are looked at every second (a stat
 * each, following symlinks — a Kubernetes Secret volume renews by swapping a symlink, which
 * fs.watch on the files would not see), and once either changed both are read and put in place for
 * new connections. A pair that cannot be used (half written, a key that does not match) is logged
 * and skipped; the previous one is served until the files change again. Returns the stop.
 */
export function reloadTlsOnChange(server: HttpsServer, files: TlsFiles, log: Logger): () => void {
  let seen = stamp(files);
  const timer = setInterval(() => {
    const now = stamp(files);
    if (now === seen) return;
    seen = now;
    try {
      server.setSecureContext({ cert: readFileSync(files.certFile), key: readFileSync(files.keyFile) });
      log.info({ certFile: files.certFile }, 'serving the renewed TLS certificate');
    } catch (e) {
      // OpenSSL's reason ("key values mismatch"), never the files' content.
      log.warn({ certFile: files.certFile, keyFile: files.keyFile, reason: (e as Error).message }, 'the TLS certificate or key changed but cannot be used; still serving the previous pair');
    }
  }, CHECK_EVERY_MS);
  timer.unref();
  return () => {
    clearInterval(timer);
  };
}

function stamp(files: TlsFiles): string {
  return [files.certFile, files.keyFile]
    .map((f) => {
      try {
        const s = statSync(f);
        return `${s.ino}:${s.size}:${s.mtimeMs}`;
      } catch {
        return 'missing';
      }
    })
    .join('|');
}
