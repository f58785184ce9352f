import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { pino } from 'pino';
import { parse } from 'yaml';
import type { Machine } from '../../api/index.js';
import { openFileStore } from '../../runtime/store/file/index.js';
import { FakeClock } from '../../runtime/testing/fake-clock.js';
import { createGetCommand } from './get-command.js';

const repoRoot = fileURLToPath(new URL('../../', import.meta.url));
const created = new Date(Date.UTC(2025, 0, 1));
let dir: string;
let statePath: string;

const machine = (name: string, pool: string, zone: string): Machine => ({
  apiVersion: 'polyfleet.io/v1alpha1',
  kind: 'Machine',
  metadata: { name, namespace: 'default', labels: { 'polyfleet.io/pool': pool } },
  spec: { pool, provider: 'aws-east', providerType: 'aws', region: 'us-east-1', zone, instanceType: 't3.small', slot: 0, failureDomain: `aws-east/us-east-1/${zone}` },
});

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'polyfleet-get-'));
  statePath = join(dir, 'state.jsonl');
  const store = await openFileStore({ path: statePath, clock: new FakeClock(created), logger: pino({ level: 'silent' }) });
  const m = await store.create(machine('workers-0', 'workers', 'us-east-1a'));
  await store.updateStatus({ ...m, status: { phase: 'Running' } });
  await store.create(machine('batch-0', 'batch', 'us-east-1b'));
  await store.close();
});
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

async function get(...argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const command = createGetCommand(new FakeClock(created.getTime() + 3 * 60_000 + 5_000));
  const code = await command.run(argv, { stdout: (s) => (stdout += s), stderr: (s) => (stderr += s) });
  return { code, stdout, stderr };
}

/** Runs bin/polyfleet.js as a user would: a new process, through tsx. */
function polyfleet(...argv: string[]) {
  return spawnSync(process.execPath, [join(repoRoot, 'bin/polyfleet.js'), ...argv], { cwd: dir, encoding: 'utf8' });
}

const sha256 = (path: string) => createHash('sha256').update(readFileSync(path)).digest('hex');

describe('polyfleet get', () => {
  it('prints a kubectl-like table: NAME, the kind\'s columns and AGE, sorted by name', async () => {
    const { code, stdout } = await get('machines', '--state', statePath);
    expect(code).toBe(0);
    expect(stdout).toBe(
      [
        'NAME        POOL      PROVIDER   ZONE         TYPE       PHASE     AGE',
        'batch-0     batch     aws-east   us-east-1b   t3.small             3m5s',
        'workers-0   workers   aws-east   us-east-1a   t3.small   Running   3m5s',
        '',
      ].join('\n'),
    );
  });

  it('selects by label and name, and prints json and yaml', async () => {
    const json = await get('pfm', '--state', statePath, '-l', 'polyfleet.io/pool=workers', '-o', 'json');
    expect(JSON.parse(json.stdout)).toMatchObject({ kind: 'List', items: [{ metadata: { name: 'workers-0' } }] });
    const yaml = await get('machine', 'batch-0', '--state', statePath, '-o', 'yaml');
    expect(parse(yaml.stdout)).toMatchObject({ kind: 'Machine', metadata: { name: 'batch-0' } });
  });

  it('says so when nothing matches, and fails on a missing name or a wrong resource', async () => {
    expect(await get('nodepools', '--state', statePath)).toEqual({ code: 0, stdout: '', stderr: 'No resources found in default namespace.\n' });
    expect(await get('nodepools', '--state', join(dir, 'no-such-state.jsonl'), '-A')).toEqual({ code: 0, stdout: '', stderr: 'No resources found\n' });
    expect(await get('machines', 'nope', '--state', statePath)).toMatchObject({ code: 1, stderr: 'polyfleet get: machines "nope" not found in namespace "default"\n' });
    expect(await get('pods', '--state', statePath)).toMatchObject({ code: 2, stderr: expect.stringContaining('unknown resource "pods"') });
    expect(await get('machines', '--bogus')).toMatchObject({ code: 2, stderr: expect.stringContaining("Unknown option '--bogus'") });
    expect(await get('machines', '-l', 'a in (')).toMatchObject({ code: 2, stderr: expect.stringContaining('invalid label selector') });
  });

  it('refuses a corrupt state file with the file and the problem, and leaves it byte for byte', () => {
    const corrupt = join(dir, 'corrupt.jsonl');
    const lines = readFileSync(statePath, 'utf8').split('\n');
    writeFileSync(corrupt, [lines[0], lines[1]?.replace('workers-0', 'workers-9'), ...lines.slice(2)].join('\n'));
    const before = sha256(corrupt);
    const run = polyfleet('get', 'machines', '--state', corrupt);
    expect(run.status).not.toBe(0);
    expect(run.stderr).toContain(`state file ${corrupt} is corrupt at line 2`);
    expect(run.stderr).toContain('checksum mismatch');
    expect(sha256(corrupt)).toBe(before);
  });

  it('refuses a state file it cannot read, naming it (a directory in its place: fails even as root)', () => {
    const unreadable = join(dir, 'unreadable.jsonl');
    mkdirSync(unreadable);
    const run = polyfleet('get', 'machines', '--state', unreadable);
    expect(run.status).not.toBe(0);
    expect(run.stderr).toMatch(new RegExp(`cannot read state file ${unreadable}: (EISDIR|not a regular file)`));
  });

  it('reads the default state file in the working directory', () => {
    mkdirSync(join(dir, '.polyfleet'));
    writeFileSync(join(dir, '.polyfleet/state.jsonl'), readFileSync(statePath));
    const run = polyfleet('get', 'machines', '-o', 'json');
    expect(run.status).toBe(0);
    expect((JSON.parse(run.stdout) as { items: unknown[] }).items).toHaveLength(2);
  });
});
