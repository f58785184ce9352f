import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { CapacityError } from '../../providers/errors.js';
import { SimProvider } from '../../providers/sim/index.js';
import type { CreateRequest } from '../../providers/types.js';
import { runCli } from '../run-cli.js';

const BIN = fileURLToPath(new URL('../../bin/polyfleet.js', import.meta.url));

/** Runs the real command as a user would, in its own process. */
async function polyfleet(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await promisify(execFile)(process.execPath, [BIN, ...args], { env: { ...process.env, NODE_OPTIONS: '' } });
    return { code: 0, stdout, stderr };
  } catch (e) {
    const failed = e as { code?: number; stdout?: string; stderr?: string };
    return { code: failed.code ?? -1, stdout: failed.stdout ?? '', stderr: failed.stderr ?? '' };
  }
}

/** Runs the command in this process, for the cases a spawned one would only make slower. */
async function inProcess(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const code = await runCli(args, { stdout: (s) => (stdout += s), stderr: (s) => (stderr += s) });
  return { code, stdout, stderr };
}

const req = (machineUid: string, over: Partial<CreateRequest> = {}): CreateRequest => ({
  machineUid,
  attempt: 1,
  managedBy: 'cli-test',
  pool: 'workers',
  namespace: 'default',
  region: 'na-east',
  zone: 'na-east-a',
  instanceType: 'sim.micro',
  image: 'sim-img-ubuntu-24.04-na-east',
  ...over,
});

describe('polyfleet sim', () => {
  let dir: string;
  let a: SimProvider;
  let b: SimProvider;

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'polyfleet-sim-cli-'));
    a = new SimProvider({ account: 'sim-a', dir, createLatencyMs: 0, deleteLatencyMs: 0 });
    b = new SimProvider({ account: 'sim-b', dir, createLatencyMs: 0, deleteLatencyMs: 0 });
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('instances prints live instances of every account as JSON', async () => {
    const live = await a.create(req('m1', { tags: { team: 'web' } }));
    const gone = await a.create(req('m2'));
    const other = await b.create(req('m1', { zone: 'na-east-c' }));
    await a.delete(gone.id);

    const { code, stdout } = await polyfleet('sim', 'instances', '--dir', dir);
    expect(code).toBe(0);
    const shown = JSON.parse(stdout) as { id: string }[];
    expect(shown.map((i) => i.id).sort()).toEqual([live.id, other.id].sort());
    expect(shown.find((i) => i.id === live.id)).toEqual({
      id: live.id,
      account: 'sim-a',
      region: 'na-east',
      zone: 'na-east-a',
      type: 'sim.micro',
      state: 'running',
      tags: live.tags,
    });
  }, 30_000);

  it('instances filters by --account, shows terminated ones with --all, and fails on a missing dir', async () => {
    const live = await a.create(req('m1'));
    const gone = await a.create(req('m2'));
    await b.create(req('m1'));
    await a.delete(gone.id);
    const ids = async (...args: string[]) => (JSON.parse((await inProcess('sim', 'instances', '--dir', dir, ...args)).stdout) as { id: string }[]).map((i) => i.id);
    expect(await ids('--account', 'sim-a')).toEqual([live.id]);
    expect((await ids('--account', 'sim-a', '--all')).sort()).toEqual([live.id, gone.id].sort());
    expect(await inProcess('sim', 'instances', '--dir', join(dir, 'nope'))).toMatchObject({ code: 1, stderr: expect.stringContaining('no sim state at') });
    expect(await inProcess('sim', 'instances', '--dir', dir, '--account', 'Bad_Name')).toMatchObject({
      code: 2,
      stderr: expect.stringContaining('--account must be a DNS label, got "Bad_Name"'),
    });
  });

  it('faults written by another process take effect in this one, and --clear removes them', async () => {
    const added = await polyfleet('sim', 'faults', '--dir', dir, '--op', 'create', '--kind', 'capacity', '--rate', '1', '--zone', 'na-east-a');
    expect(added.code).toBe(0);
    expect(JSON.parse(added.stdout)).toEqual({ rules: [{ op: 'create', kind: 'capacity', rate: 1, zone: 'na-east-a' }] });
    await expect(a.create(req('m1'))).rejects.toBeInstanceOf(CapacityError);
    await expect(a.create(req('m1', { zone: 'na-east-b' }))).resolves.toMatchObject({ zone: 'na-east-b' });

    expect((await inProcess('sim', 'faults', '--dir', dir, '--clear')).code).toBe(0);
    await expect(a.create(req('m2'))).resolves.toMatchObject({ state: 'running' });
  }, 30_000);

  it('faults replaces a rule for the same op, kind and filters, and keeps others', async () => {
    await inProcess('sim', 'faults', '--dir', dir, '--op', 'list', '--kind', 'throttled', '--rate', '0.5', '--retry-after-ms', '2000');
    await inProcess('sim', 'faults', '--dir', dir, '--kind', 'die', '--rate', '0.1', '--after-ms', '60000');
    await inProcess('sim', 'faults', '--dir', dir, '--op', 'list', '--kind', 'throttled', '--rate', '0.2');
    const { stdout } = await inProcess('sim', 'faults', '--dir', dir);
    expect(JSON.parse(stdout)).toEqual({
      rules: [
        { op: 'create', kind: 'die', rate: 0.1, afterMs: 60000 },
        { op: 'list', kind: 'throttled', rate: 0.2 },
      ],
    });
  });

  it('kill fails an instance from another process; --vanish makes the cloud forget one', async () => {
    const victim = await a.create(req('m1'));
    const killed = await polyfleet('sim', 'kill', victim.id, '--dir', dir);
    expect(killed).toMatchObject({ code: 0, stdout: `${victim.id} failed\n` });
    expect(await a.get(victim.id)).toMatchObject({ state: 'failed' });
    expect(await inProcess('sim', 'kill', victim.id, '--dir', dir)).toMatchObject({ code: 1, stderr: expect.stringContaining('already failed') });

    const other = await b.create(req('m2'));
    expect((await inProcess('sim', 'kill', other.id, '--dir', dir, '--vanish')).code).toBe(0);
    expect(await b.get(other.id)).toBeUndefined();
    expect(await inProcess('sim', 'kill', 'sim-0000000000000000', '--dir', dir)).toMatchObject({ code: 1, stderr: expect.stringContaining('no instance') });
  }, 30_000);

  it('stop stops an instance from another process: stopped, still listed, refused twice, and deletable', async () => {
    const victim = await a.create(req('m1'));
    const stopped = await polyfleet('sim', 'stop', victim.id, '--dir', dir, '--stopping-ms', '0');
    expect(stopped).toMatchObject({ code: 0, stdout: `${victim.id} stopped\n` });
    expect(await a.get(victim.id)).toMatchObject({ state: 'stopped' });
    expect((await a.list({ managedBy: 'cli-test' })).map((i) => i.state)).toEqual(['stopped']);
    const shown = JSON.parse((await inProcess('sim', 'instances', '--dir', dir)).stdout) as { id: string; state: string }[];
    expect(shown.map((i) => [i.id, i.state])).toEqual([[victim.id, 'stopped']]);
    expect(await inProcess('sim', 'stop', victim.id, '--dir', dir)).toMatchObject({ code: 1, stderr: expect.stringContaining('was not pending or running') });
    expect(await inProcess('sim', 'kill', victim.id, '--dir', dir)).toMatchObject({ code: 1 });
    await a.delete(victim.id);
    expect(await a.list({ managedBy: 'cli-test' })).toEqual([]);

    const slow = await b.create(req('m2'));
    expect(await inProcess('sim', 'stop', slow.id, '--dir', dir)).toMatchObject({ code: 0, stdout: `${slow.id} stopping\n` });
    expect(await b.get(slow.id)).toMatchObject({ state: 'stopping' });
    expect(await inProcess('sim', 'stop', 'sim-0000000000000000', '--dir', dir)).toMatchObject({ code: 1, stderr: expect.stringContaining('no instance') });
    expect(await inProcess('sim', 'stop', '--dir', dir)).toMatchObject({ code: 2, stderr: expect.stringContaining('pass its ID') });
    expect(await inProcess('sim', 'stop', slow.id, '--dir', dir, '--stopping-ms', '1.5')).toMatchObject({ code: 2, stderr: expect.stringContaining('--stopping-ms must be a whole number') });
  }, 30_000);

  it('faults adds an invisible rule: get and list miss the new instance for --for-ms, instances shows it', async () => {
    const added = await inProcess('sim', 'faults', '--dir', dir, '--kind', 'invisible', '--rate', '1', '--for-ms', '60000', '--account', 'sim-a');
    expect(JSON.parse(added.stdout)).toEqual({ rules: [{ op: 'create', kind: 'invisible', rate: 1, account: 'sim-a', forMs: 60000 }] });
    const hidden = await a.create(req('m1'));
    const seen = await b.create(req('m1'));
    expect(await a.get(hidden.id)).toBeUndefined();
    expect(await a.list({ managedBy: 'cli-test' })).toEqual([]);
    expect(await b.get(seen.id)).toMatchObject({ state: 'running' });
    const shown = JSON.parse((await inProcess('sim', 'instances', '--dir', dir, '--account', 'sim-a')).stdout) as { id: string; invisibleUntil?: string }[];
    expect(shown).toEqual([expect.objectContaining({ id: hidden.id, invisibleUntil: expect.any(String) })]);
    expect(await inProcess('sim', 'faults', '--dir', dir, '--kind', 'invisible', '--rate', '1')).toMatchObject({ code: 2, stderr: expect.stringContaining('--kind invisible needs --for-ms') });
    expect(await inProcess('sim', 'faults', '--dir', dir, '--kind', 'capacity', '--op', 'create', '--rate', '1', '--for-ms', '5')).toMatchObject({ code: 2, stderr: expect.stringContaining('--for-ms goes with --kind invisible') });
  });

  it('names the flag and the value of a bad flag, and exits 2', async () => {
    const bad = await polyfleet('sim', 'faults', '--dir', dir, '--op', 'create', '--kind', 'capacity', '--rate', '2');
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--rate must be a number from 0 to 1, got "2"');
    const cases: [string[], string][] = [
      [['--op', 'launch', '--kind', 'capacity', '--rate', '1'], '--op must be one of regions, offerings, image, create, get, describe, list, delete, got "launch"'],
      [['--op', 'create', '--kind', 'boom', '--rate', '1'], '--kind must be one of capacity, quota, throttled, auth, invalidRequest, transient, die, invisible, got "boom"'],
      [['--op', 'create', '--kind', 'capacity'], '--rate is required'],
      [['--op', 'list', '--kind', 'die', '--rate', '1'], '--kind die goes with --op create'],
      [['--kind', 'die', '--rate', '1', '--after-ms', '1.5'], '--after-ms must be a whole number'],
      [['--clear', '--rate', '1'], '--clear takes no rule flags, got --rate'],
      [['--bogus'], "Unknown option '--bogus'"],
    ];
    for (const [args, message] of cases) {
      const result = await inProcess('sim', 'faults', '--dir', dir, ...args);
      expect({ args, code: result.code, stderr: result.stderr }).toMatchObject({ args, code: 2, stderr: expect.stringContaining(message) });
    }
    expect(await inProcess('sim', 'kill', '--dir', dir)).toMatchObject({ code: 2, stderr: expect.stringContaining('pass its ID') });
    expect(await inProcess('sim', 'launch')).toMatchObject({ code: 2, stderr: expect.stringContaining('unknown command "launch"') });
  }, 30_000);

  it('prints help for the command and each verb, listing every flag they take', async () => {
    const help = await inProcess('sim', '--help');
    expect(help.code).toBe(0);
    for (const flag of ['--dir', '--account', '--all', '--vanish', '--stopping-ms', '--op', '--kind', '--rate', '--zone', '--instance-type', '--after-ms', '--for-ms', '--retry-after-ms', '--clear']) {
      expect(help.stdout).toContain(flag);
    }
    expect(await inProcess('sim', 'kill', '--help')).toMatchObject({ code: 0, stdout: expect.stringContaining('polyfleet sim kill ID') });
    expect(await inProcess('sim', 'stop', '--help')).toMatchObject({ code: 0, stdout: expect.stringContaining('polyfleet sim stop ID') });
    expect((await inProcess('--help')).stdout).toMatch(/sim\s+inspect and disturb the simulated cloud/);
  });
});
