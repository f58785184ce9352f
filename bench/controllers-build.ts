// The bench's measured processes (the file backend's RSS and idle child, the kube informers' RSS
// child) run from a build, as a deployed polyfleet does, not through the TypeScript loader, whose
// own memory would count in their RSS: each entry is bundled with esbuild (as bin/build.js bundles
// the CLI) into a directory of its own in the repository, so its packages resolve from
// node_modules, and removed when the bench ends.
import { mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build, type Plugin } from 'esbuild';
import { BUNDLED, REQUIRE_BANNER } from '../bin/bundled-packages.js';

export interface BenchBuild {
  /** The built file of an entry, e.g. `bench/controllers.ts` → `.../bench/controllers.js`. */
  entry(source: string): string;
  remove(): void;
}

const root = fileURLToPath(new URL('..', import.meta.url));

/** Bundles `entries` (paths from the repository root), each on its own: a child started on one is that entry's own module. */
export async function buildBench(entries: readonly string[]): Promise<BenchBuild> {
  const dir = mkdtempSync(join(root, '.bench-build-'));
  try {
    await build({
      absWorkingDir: root,
      entryPoints: [...entries],
      outdir: dir,
      outbase: '.',
      bundle: true,
      // As bin/build.js: a provider's adapter (and its cloud SDK) stays a chunk loaded on first use,
      // and a module is kept only for what is used of it, so a child loads what a `polyfleet run` would.
      splitting: true,
      chunkNames: 'chunks/[name]-[hash]',
      format: 'esm',
      platform: 'node',
      target: 'node20',
      plugins: [noSideEffects],
      banner: { js: REQUIRE_BANNER },
      logLevel: 'warning',
    });
  } catch (err) {
    rmSync(dir, { recursive: true, force: true });
    throw err;
  }
  return {
    entry: (source) => join(dir, source.replace(/\.ts$/, '.js')),
    remove: () => {
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * What bin/build.js does: the packages it bundles (and theirs) bundled, every other package external;
 * each, and every module of ours, free of side effects on import.
 */
const noSideEffects: Plugin = {
  name: 'no-side-effects',
  setup(b) {
    b.onResolve({ filter: /^[^./]/ }, (args) => (args.path.startsWith('node:') || isBundled(args.path, args.importer) ? undefined : { path: args.path, external: true, sideEffects: false }));
    b.onResolve({ filter: /^\.\.?\// }, async (args) => {
      if (args.pluginData === 'ours') return undefined;
      const r = await b.resolve(args.path, { kind: args.kind, importer: args.importer, resolveDir: args.resolveDir, pluginData: 'ours' });
      return r.errors.length > 0 ? undefined : { ...r, sideEffects: false };
    });
  },
};

/** How to run `script`: through the TypeScript loader if it is a .ts source, as it is if built. */
export function nodeArgsFor(script: string): string[] {
  return script.endsWith('.ts') ? ['--import', 'tsx', script] : [script];
}

/** A bundled package, or any import made from within one (its own dependencies go with it). */
function isBundled(path: string, importer: string): boolean {
  return BUNDLED.some((name) => path === name || path.startsWith(`${name}/`)) || importer.includes('/node_modules/');
}
