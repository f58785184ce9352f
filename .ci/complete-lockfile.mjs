#!/usr/bin/env node
// The package registry this project's machines reach serves the platform builds of native packages
// (@swc/core-*, @unrs/resolver-binding-*) only for the platforms it was asked for, so `npm install`
// here writes a package-lock.json without the others, and `npm ci` then refuses the lock as out of
// sync ("Missing: @swc/core-darwin-arm64@ from lock file"). This adds the missing optional platform
// packages as lock entries with their version and platform, which npm skips on other platforms and
// fetches normally where they fit. Run it after `npm install` changes the lock: node .ci/complete-lockfile.mjs
// With --check it changes nothing and exits 1 if the lock lacks such entries (part of `npm run lint`).
import { readFileSync, writeFileSync } from 'node:fs';

const lockPath = new URL('../package-lock.json', import.meta.url);
const lock = JSON.parse(readFileSync(lockPath, 'utf8'));
const packages = lock.packages;

const OS = ['darwin', 'linux', 'win32', 'freebsd', 'android', 'openharmony', 'sunos', 'aix', 'netbsd', 'openbsd'];
const CPU = { arm64: 'arm64', x64: 'x64', ia32: 'ia32', ppc64: 'ppc64', s390x: 's390x', riscv64: 'riscv64', loong64: 'loong64', arm: 'arm', wasm32: 'wasm32' };

function platformOf(name) {
  const parts = name.split('/').pop().split('-');
  const os = parts.find((p) => OS.includes(p));
  const cpu = parts.map((p) => CPU[p]).find((c) => c !== undefined);
  if (os === undefined || cpu === undefined) throw new Error(`cannot tell the platform of optional package ${name}`);
  const libc = parts.includes('musl') || parts.some((p) => p.startsWith('musl')) ? 'musl' : parts.includes('gnu') || parts.some((p) => p.startsWith('gnu')) ? 'glibc' : undefined;
  return { os: [os], cpu: [cpu], ...(os === 'linux' && libc ? { libc: [libc] } : {}) };
}

let added = 0;
for (const [path, pkg] of Object.entries(packages)) {
  for (const [name, version] of Object.entries(pkg.optionalDependencies ?? {})) {
    const nested = `${path ? `${path}/` : ''}node_modules/${name}`;
    if (packages[`node_modules/${name}`] || packages[nested]) continue;
    if (!/^\d+\.\d+\.\d+/.test(version)) throw new Error(`${path}: optional ${name}@${version} is not an exact version`);
    packages[`node_modules/${name}`] = { version, optional: true, ...platformOf(name) };
    added++;
  }
}
if (process.argv.includes('--check')) {
  if (added > 0) {
    process.stderr.write(`package-lock.json lacks ${added} optional platform entries, so \`npm ci\` would refuse it: run node .ci/complete-lockfile.mjs\n`);
    process.exit(1);
  }
  process.exit(0);
}
lock.packages = Object.fromEntries(Object.entries(packages).sort(([a], [b]) => (a === '' ? -1 : b === '' ? 1 : a.localeCompare(b))));
writeFileSync(lockPath, `${JSON.stringify(lock, null, 2)}\n`);
process.stdout.write(`complete-lockfile: added ${added} optional platform entries\n`);
