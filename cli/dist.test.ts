import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const repo = fileURLToPath(new URL('..', import.meta.url));
const quickstart = join(repo, 'examples/quickstart');

/** node, without jest's NODE_OPTIONS (--experimental-vm-modules). */
function node(args: readonly string[], cwd: string): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, args, { cwd, encoding: 'utf8', env: { ...process.env, NODE_OPTIONS: '' } });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('npm run build (bin/build.js)', () => {
  let dir: string;
  let out: string;
  let record: string;

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'polyfleet-dist-'));
    // Laid out like the package: dist/ beside package.json ("type": "module") and node_modules.
    writeFileSync(join(dir, 'package.json'), '{"type": "module"}\n');
    symlinkSync(join(repo, 'node_modules'), join(dir, 'node_modules'));
    out = join(dir, 'dist');
    const built = node([join(repo, 'bin/build.js'), '--outdir', out], repo);
    expect(built).toMatchObject({ status: 0 });
    // A loader hook that notes every module a process loads, to see what a command pulls in.
    writeFileSync(join(dir, 'hooks.mjs'), `import { appendFileSync } from 'node:fs';\nexport async function load(url, context, next) { appendFileSync(process.env.LOADED, url + '\\n'); return next(url, context); }\n`);
    writeFileSync(join(dir, 'record.mjs'), `import { register } from 'node:module';\nregister(${JSON.stringify(pathToFileURL(join(dir, 'hooks.mjs')).href)});\n`);
    record = join(dir, 'record.mjs');
    expect(node([join(out, 'cli/main.js'), 'apply', '-f', quickstart, '--state', join(dir, 'state.jsonl')], dir)).toMatchObject({ status: 0 });
  }, 120_000);

  afterAll(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  /**
   * The packages a polyfleet command loads: from node_modules, and those bundled into the dist/
   * files it loads (each file's source map names the package files it was made of).
   */
  function packagesLoaded(argv: readonly string[]): string[] {
    const loaded = join(dir, `loaded-${argv[0] ?? 'none'}.txt`);
    writeFileSync(loaded, '');
    const r = spawnSync(process.execPath, ['--import', record, join(out, 'cli/main.js'), ...argv], { cwd: dir, encoding: 'utf8', env: { ...process.env, NODE_OPTIONS: '', LOADED: loaded } });
    expect(r.status).toBe(0);
    const urls = readFileSync(loaded, 'utf8').split('\n').filter((url) => url !== '');
    const distFiles = urls.filter((url) => url.startsWith(pathToFileURL(out).href) && url.endsWith('.js')).map((url) => fileURLToPath(url));
    const bundledSources = distFiles.flatMap((file) => (JSON.parse(readFileSync(`${file}.map`, 'utf8')) as { sources: string[] }).sources);
    const names = [...urls, ...bundledSources].flatMap((path) => /node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(path)?.[1] ?? []);
    return [...new Set(names)].sort();
  }

  it('writes the stamp of every source it bundled, with its size and mtime', () => {
    const { files } = JSON.parse(readFileSync(join(out, 'build-stamp.json'), 'utf8')) as { files: Record<string, [number, number]> };
    const main = readFileSync(join(repo, 'cli/main.ts'));
    expect(files['cli/main.ts']?.[1]).toBe(main.length);
    expect(Object.keys(files)).toEqual(expect.arrayContaining(['package.json', 'tsconfig.json', 'cli/run-cli.ts', 'api/index.ts', 'node_modules/zod/package.json', 'node_modules/@kubernetes/client-node/package.json']));
    expect(Object.keys(files).filter((f) => f.endsWith('.test.ts') || f.includes('/testing/') || f.includes('fixture'))).toEqual([]);
  });

  it.each([
    { argv: ['--help'], loads: [] },
    { argv: ['get', 'nodepools', '--state', 'state.jsonl'], loads: ['pino', 'zod'] },
    { argv: ['crush', '--help'], loads: [] },
    { argv: ['describe', 'nodepool', 'workers', '--state', 'state.jsonl'], loads: ['pino', 'zod'] },
    { argv: ['run', '--help'], loads: ['pino', 'prom-client', 'zod'] },
    { argv: ['create', '--help'], loads: ['pino', 'prom-client', 'zod'] },
    { argv: ['delete', '--help'], loads: ['pino', 'prom-client', 'zod'] },
  ])('polyfleet $argv loads only $loads: no Kubernetes client, no cloud SDK', ({ argv, loads }) => {
    expect(packagesLoaded(argv)).toEqual(loads);
  });

  it('polyfleet controller loads the Kubernetes client', () => {
    expect(packagesLoaded(['controller', '--help'])).toContain('@kubernetes/client-node');
  });
});

describe('bin/polyfleet.js', () => {
  let dir: string;

  /** A package laid out like the repository: sources that print "sources", a dist/ that prints "dist". */
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'polyfleet-bin-'));
    mkdirSync(join(dir, 'bin'));
    for (const f of ['polyfleet.js', 'dist-stamp.js']) copyFileSync(join(repo, 'bin', f), join(dir, 'bin', f));
    writeFileSync(join(dir, 'package.json'), '{"type": "module"}\n');
    mkdirSync(join(dir, 'cli'));
    writeFileSync(join(dir, 'cli/main.ts'), "const from: string = 'sources';\nconsole.log(from);\n");
    mkdirSync(join(dir, 'dist/cli'), { recursive: true });
    writeFileSync(join(dir, 'dist/cli/main.js'), "console.log('dist');\n");
    symlinkSync(join(repo, 'node_modules'), join(dir, 'node_modules'));
  });

  afterAll(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  const polyfleet = () => node([join(dir, 'bin/polyfleet.js')], dir);
  function stamp(): void {
    const script = `import { fileStamp, writeStamp } from ${JSON.stringify(pathToFileURL(join(dir, 'bin/dist-stamp.js')).href)};\nwriteStamp(${JSON.stringify(join(dir, 'dist'))}, { 'cli/main.ts': fileStamp(${JSON.stringify(join(dir, 'cli/main.ts'))}) });`;
    expect(node(['--input-type=module', '-e', script], dir)).toMatchObject({ status: 0 });
  }

  it('runs the sources through tsx in a checkout without a build stamp', () => {
    expect(polyfleet()).toMatchObject({ status: 0, stdout: 'sources\n' });
  });

  it('runs dist/ while the sources it was built from are unchanged', () => {
    stamp();
    expect(polyfleet()).toMatchObject({ status: 0, stdout: 'dist\n' });
  });

  it('runs the sources again once one of them changed, even to an older time', () => {
    stamp();
    utimesSync(join(dir, 'cli/main.ts'), new Date(2001, 0, 1), new Date(2001, 0, 1));
    expect(polyfleet()).toMatchObject({ status: 0, stdout: 'sources\n' });
  });

  it('says what to do in a checkout without a build and without tsx', () => {
    rmSync(join(dir, 'node_modules'));
    const r = polyfleet();
    symlinkSync(join(repo, 'node_modules'), join(dir, 'node_modules'));
    expect(r.status).toBe(1);
    expect(r.stderr).toBe('polyfleet: this checkout has no current build (npm run build) and tsx, which runs its sources, is not installed (npm ci installs it)\n');
  });

  it('runs dist/ where there are no sources (an installed package), stamp or not', () => {
    rmSync(join(dir, 'cli'), { recursive: true });
    rmSync(join(dir, 'dist/build-stamp.json'), { force: true });
    expect(polyfleet()).toMatchObject({ status: 0, stdout: 'dist\n' });
  });
});
