import { afterAll, describe, expect, it } from '@jest/globals';
import { spawn, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const repo = fileURLToPath(new URL('..', import.meta.url));
/** What `npm pack` reads: the manifest, the build's inputs and the package's other files. */
const PACKED_FROM = ['package.json', 'package-lock.json', 'tsconfig.json', 'README.md', 'bin', 'crds', 'examples', 'api', 'placement', 'providers', 'controllers', 'runtime', 'inventory', 'cli', 'web'];

const dir = mkdtempSync(join(tmpdir(), 'polyfleet-package-'));
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

/** Without jest's NODE_OPTIONS, which would reach every node npm starts. */
const env = { ...process.env, NODE_OPTIONS: '' };

function npm(args: readonly string[], cwd: string): string {
  const r = spawnSync('npm', ['--no-audit', '--no-fund', '--loglevel=error', ...args], { cwd, env, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`npm ${args.join(' ')} exited ${String(r.status)}:\n${r.stdout}\n${r.stderr}`);
  return r.stdout;
}

describe('npm pack', () => {
  it('makes a package that installs with production dependencies only and runs the quickstart from any directory', async () => {
    // A copy of the checkout, so that pack's build (prepack) leaves this one's dist/ alone.
    const src = join(dir, 'src');
    for (const path of PACKED_FROM) if (existsSync(join(repo, path))) cpSync(join(repo, path), join(src, path), { recursive: true });
    symlinkSync(join(repo, 'node_modules'), join(src, 'node_modules'));
    const tarball = npm(['pack', '--pack-destination', dir], src).trim().split('\n').pop() ?? '';
    expect(tarball).toMatch(/^polyfleet-\d+\.\d+\.\d+\.tgz$/);

    const app = join(dir, 'app');
    mkdirSync(app);
    writeFileSync(join(app, 'package.json'), '{"name": "app", "private": true}\n');
    npm(['install', '--omit=dev', '--no-package-lock', join(dir, tarball)], app);
    const installed = join(app, 'node_modules/polyfleet');
    expect(readdirSync(installed).sort()).toEqual(['README.md', 'bin', 'crds', 'dist', 'examples', 'package.json', 'web']);
    for (const dev of ['tsx', 'esbuild', 'typescript', 'jest']) expect(existsSync(join(app, 'node_modules', dev))).toBe(false);

    const polyfleet = join(app, 'node_modules/.bin/polyfleet');
    const help = spawnSync(polyfleet, ['--help'], { cwd: app, env, encoding: 'utf8' });
    expect(help).toMatchObject({ status: 0, stderr: '' });
    expect(help.stdout).toContain('Usage: polyfleet <command> [flags]');

    const run = spawn(polyfleet, ['run', '-f', join(installed, 'examples/quickstart'), '--port', '0', '--inventory-addr', '127.0.0.1:0', '--sim-dir', join(app, 'sim')], { cwd: app, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    run.stdout.setEncoding('utf8').on('data', (s: string) => (out += s));
    run.stderr.setEncoding('utf8').on('data', (s: string) => (err += s));
    const exited = new Promise<number | null>((resolve) => run.on('close', resolve));
    const deadline = Date.now() + 120_000;
    while (!/workers: 7\/7 running .* Ready/.test(out) && run.exitCode === null && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 100));
    // The bundle finds the web view's files the package ships beside dist/.
    const web = /web view: (\S+)\n/.exec(out)?.[1] ?? 'no web view printed';
    expect([(await fetch(web)).status, (await fetch(`${web}assets/app.js`)).status]).toEqual([200, 200]);
    run.kill('SIGTERM');
    expect(await exited).toBe(0);
    expect({ out, err }).toEqual({ out: expect.stringMatching(/workers: 7\/7 running .* Ready\n[\s\S]*stopped\n$/), err: '' });
    const get = spawnSync(polyfleet, ['get', 'nodepools'], { cwd: app, env, encoding: 'utf8' });
    expect(get.stdout).toMatch(/^NAME +DESIRED +READY +COST\/H +STRATEGY +AGE\nworkers +7 +7 /);
  }, 300_000);
});
