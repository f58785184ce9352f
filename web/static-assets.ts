import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The page's files, served as they are in the package: no build step, no CDN. */
export interface StaticAsset {
  readonly body: Buffer;
  readonly contentType: string;
}

const TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
};

/**
 * web/static, found from this module whether it runs from its source (web/) or bundled into
 * dist/ (dist/cli, dist/chunks): the package ships web/static beside dist/.
 */
export function staticDir(from: string = fileURLToPath(import.meta.url)): string {
  for (let dir = dirname(from); ; dir = dirname(dir)) {
    for (const candidate of [join(dir, 'static'), join(dir, 'web', 'static')]) {
      if (existsSync(join(candidate, 'index.html'))) return candidate;
    }
    if (dirname(dir) === dir) throw new Error(`the web view's files (web/static) are not beside ${from}: the package is incomplete`);
  }
}

/** Every file of the page, read once: a name outside this list is never opened, so no path can escape the folder. */
export function loadAssets(dir: string, names: readonly string[]): ReadonlyMap<string, StaticAsset> {
  return new Map(
    names.map((name) => {
      const ext = /\.[a-z]+$/.exec(name)?.[0] ?? '';
      return [name, { body: readFileSync(join(dir, name)), contentType: TYPES[ext] ?? 'application/octet-stream' }];
    }),
  );
}
