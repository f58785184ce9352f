#!/usr/bin/env node
// `npm run build` (node bin/build.js [--if-stale]): bundles the CLI (cli/main.ts) and everything it
// imports into dist/ with esbuild — dist/cli/main.js, and one chunk per command and per lazily
// loaded provider under dist/chunks/, so a command loads only its own code. zod and the Kubernetes
// client are bundled too (bin/bundled-packages.js says why); every other dependency stays
// external, loaded from node_modules, most only by the command that needs it. esbuild does not
// type-check: `npm run typecheck` (part of `npm run lint`) does.
//
// dist/build-stamp.json names every file the bundle was made of — each source, the configs, and
// the package.json of each bundled package — with its size and mtime, so bin/polyfleet.js runs
// dist/ only while they are unchanged (bin/dist-stamp.js). They are stat'ed before esbuild reads
// them: a file edited during the build leaves the stamp stale, never a stale dist/ taken for
// current. The new tree is written beside dist/ and swapped in whole.
//
// --if-stale: leave a current dist/ as it is (bench:cli). --outdir DIR: build into DIR instead
// (tests), which bin/polyfleet.js never runs.
import { existsSync, readdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { build } from 'esbuild';
import { BUNDLED, bundledManifests, REQUIRE_BANNER } from './bundled-packages.js';
import { fileStamp, isDistCurrent, writeStamp } from './dist-stamp.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const { values: flags } = parseArgs({ options: { 'if-stale': { type: 'boolean', default: false }, outdir: { type: 'string' } } });
if (flags['if-stale'] && flags.outdir === undefined && isDistCurrent(root)) process.exit(0);
const target = resolve(root, flags.outdir ?? 'dist');

const CONFIGS = ['package.json', 'tsconfig.json'];
/** Where the CLI's sources are (the folders of .dependency-cruiser.cjs). */
const LAYERS = ['api', 'placement', 'providers', 'controllers', 'runtime', 'inventory', 'cli', 'web'];

const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const external = Object.keys(pkg.dependencies ?? {}).filter((d) => !BUNDLED.includes(d));

/** Every .ts file under `dir` (relative to root, "/"-separated). */
function sources(dir, out = []) {
  if (!existsSync(join(root, dir))) return out;
  for (const entry of readdirSync(join(root, dir), { withFileTypes: true })) {
    const path = `${dir}/${entry.name}`;
    if (entry.isDirectory()) sources(path, out);
    else if (entry.isFile() && path.endsWith('.ts')) out.push(path);
  }
  return out;
}

/** node_modules/zod/v4/core/api.js → node_modules/zod/package.json: a bundled package changes with its version. */
function manifestOf(input) {
  const parts = input.split('/');
  const at = parts.lastIndexOf('node_modules');
  const name = parts[at + 1]?.startsWith('@') ? parts.slice(at + 1, at + 3) : parts.slice(at + 1, at + 2);
  return [...parts.slice(0, at + 1), ...name, 'package.json'].join('/');
}

const manifests = bundledManifests(root);
const before = new Map([...CONFIGS, ...manifests, ...LAYERS.flatMap((dir) => sources(dir))].map((f) => [f, fileStamp(join(root, f))]));

const out = `${target}.build-${process.pid}`;
rmSync(out, { recursive: true, force: true });
let result;
try {
  result = await build({
    absWorkingDir: root,
    entryPoints: ['cli/main.ts'],
    outdir: out,
    outbase: '.',
    entryNames: '[dir]/[name]',
    chunkNames: 'chunks/[name]-[hash]',
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: `node${pkg.engines.node.replace(/[^\d.]/g, '')}`,
    // Every module, ours and the external packages, is free of side effects on import (nothing of
    // ours imports a module for them), so a chunk keeps only the modules it uses something of:
    // runtime/events and runtime/secrets re-export the Kubernetes clients, and `polyfleet run` must
    // not load client-node through them. (Barrels re-export with `export *` for this.)
    plugins: [
      {
        name: 'no-side-effects',
        setup(b) {
          const filter = new RegExp(`^(${external.map((d) => d.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')).join('|')})(/|$)`);
          b.onResolve({ filter }, (args) => ({ path: args.path, external: true, sideEffects: false }));
          b.onResolve({ filter: /^\.\.?\// }, async (args) => {
            if (args.pluginData === 'ours') return undefined;
            const r = await b.resolve(args.path, { kind: args.kind, importer: args.importer, resolveDir: args.resolveDir, pluginData: 'ours' });
            return r.errors.length > 0 ? undefined : { ...r, sideEffects: false };
          });
        },
      },
    ],
    banner: { js: REQUIRE_BANNER },
    // Stack traces name dist/ files; run with NODE_OPTIONS=--enable-source-maps to see the sources.
    sourcemap: 'linked',
    metafile: true,
    logLevel: 'warning',
  });
} catch {
  // esbuild has printed the errors, with file and line.
  rmSync(out, { recursive: true, force: true });
  process.exit(1);
}

// What the bundle was made of; a file first seen after the stat above has no stamp of its own,
// which marks the build stale at once.
const inputs = Object.keys(result.metafile.inputs).map((input) => (input.includes('node_modules/') ? manifestOf(input) : input));
const files = Object.fromEntries([...new Set([...CONFIGS, ...inputs])].sort().map((f) => [f, before.get(f) ?? [-1, -1]]));
const unseen = Object.keys(files).filter((f) => !before.has(f));
if (unseen.length > 0) process.stderr.write(`build: not stat'ed before the build, so dist/ counts as stale until the next: ${unseen.join(', ')}\n`);
writeStamp(out, files);

const old = `${target}.old-${process.pid}`;
if (existsSync(target)) renameSync(target, old);
renameSync(out, target);
rmSync(old, { recursive: true, force: true });
const chunks = Object.keys(result.metafile.outputs).filter((o) => o.endsWith('.js')).length;
process.stdout.write(`${flags.outdir ?? 'dist'}/: ${chunks} files bundled from ${Object.keys(files).length - CONFIGS.length} sources\n`);
