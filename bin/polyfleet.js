#!/usr/bin/env node
// Runs the compiled CLI in dist/ when it is current, else the TypeScript sources through tsx.
// An installed package has no sources, so its dist/ is current by definition; in a checkout dist/
// is current while the files `npm run build` compiled it from are unchanged (bin/dist-stamp.js),
// so an edit is never run stale, and `npx polyfleet` works right after `npm ci` without a build.
import { existsSync } from 'node:fs';
import module from 'node:module';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const checkout = existsSync(`${root}cli/main.ts`);

if (!checkout || (await import('./dist-stamp.js')).isDistCurrent(root)) {
  // Node 22.1+ keeps compiled code between runs; a no-op where it is missing or cannot write.
  module.enableCompileCache?.();
  await import(new URL('../dist/cli/main.js', import.meta.url).href);
} else {
  let tsx;
  try {
    tsx = await import('tsx/esm/api');
  } catch (e) {
    if (e?.code !== 'ERR_MODULE_NOT_FOUND') throw e;
    process.stderr.write('polyfleet: this checkout has no current build (npm run build) and tsx, which runs its sources, is not installed (npm ci installs it)\n');
    process.exit(1);
  }
  tsx.register();
  await import(new URL('../cli/main.ts', import.meta.url).href);
}
