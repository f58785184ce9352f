// The dependencies bundled into dist/ rather than loaded from node_modules (bin/build.js), and what
// the bench's builds bundle the same way (bench/controllers-build.ts), so both measure one thing.
//   zod: as ~100 small modules it was the slowest part of a `polyfleet get`.
//   @kubernetes/client-node: loaded as published it costs ~88 MB of RSS (every generated API and
//     model, ~32 MB of them heap) where the parts polyfleet controller uses, bundled, cost ~31 MB
//     (measured by importing each into an empty Node 20 process).
// A bundled package's own dependencies are bundled with it; bundledManifests names their
// package.json files, which the build stamps so dist/ goes stale when any of them changes.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

export const BUNDLED = ['zod', '@kubernetes/client-node'];

/**
 * Bundled CommonJS modules call require() for Node's built-ins; an ES module has none, so each
 * output file gets one (esbuild's `banner`).
 */
export const REQUIRE_BANNER = "import { createRequire as __polyfleetCreateRequire } from 'node:module'; const require = __polyfleetCreateRequire(import.meta.url);";

/**
 * The package.json paths (relative to `root`, "/"-separated) of BUNDLED and every package they
 * depend on, resolved as Node does: a package's own node_modules first, then its parents'.
 */
export function bundledManifests(root) {
  const found = new Set();
  // `fromDir`: a package's directory ("node_modules/a", "node_modules/a/node_modules/@s/b"), or "" for root.
  const visit = (name, fromDir) => {
    for (let dir = fromDir; ; dir = parentPackageDir(dir)) {
      const manifest = `${dir === '' ? '' : `${dir}/`}node_modules/${name}/package.json`;
      if (existsSync(join(root, manifest))) {
        if (found.has(manifest)) return;
        found.add(manifest);
        const { dependencies = {}, optionalDependencies = {}, peerDependencies = {}, peerDependenciesMeta = {} } = JSON.parse(readFileSync(join(root, manifest), 'utf8'));
        for (const dep of Object.keys({ ...dependencies, ...optionalDependencies, ...peerDependencies, ...peerDependenciesMeta })) visit(dep, manifest.slice(0, -'/package.json'.length));
        return;
      }
      if (dir === '') return;
    }
  };
  for (const name of BUNDLED) visit(name, '');
  return [...found].sort();
}

/** "node_modules/a/node_modules/@s/b" → "node_modules/a"; "node_modules/a" → "". */
function parentPackageDir(dir) {
  const at = dir.lastIndexOf('node_modules/');
  return at <= 0 ? '' : dir.slice(0, at - 1);
}
