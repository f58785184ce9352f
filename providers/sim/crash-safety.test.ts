import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { spawn } from 'node:child_process';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { TAG_MACHINE } from '../types.js';
import { accountDir } from './instance-files.js';
import { seededRandom } from './random.js';
import { tmpDir } from './sim-dir.js';
import { SimProvider } from './sim-provider.js';
import { crashTestRequest } from './testing/crash-request.js';

const CHILD = fileURLToPath(new URL('./testing/create-loop.ts', import.meta.url));
const ACCOUNT = 'sim-crash';
const MACHINES = 120;

/** Starts a create loop, SIGKILLs it `killAfterMs` after it said ready (or lets it finish), resolves when it is gone. */
function runAndKill(dir: string, seed: number, killAfterMs: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', CHILD, dir, ACCOUNT, String(MACHINES), String(seed)], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.stdout.on('data', (d: Buffer) => {
      if (d.toString().includes('ready')) setTimeout(() => child.kill('SIGKILL'), killAfterMs);
    });
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      if (signal === 'SIGKILL' || code === 0) resolve();
      else reject(new Error(`create loop exited with ${code ?? signal ?? '?'}: ${stderr}`));
    });
  });
}

describe('sim create under SIGKILL', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'polyfleet-sim-crash-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('leaves exactly one instance per (machineUid, attempt) after processes are killed at random instants and every create is retried', async () => {
    const random = seededRandom(20250101);
    for (let round = 0; round < 6; round++) {
      // Two processes race on the same machines in every other round, as two controllers would.
      const racers = round % 2 === 0 ? 1 : 2;
      await Promise.all(Array.from({ length: racers }, (_, r) => runAndKill(dir, round * 10 + r, Math.floor(random() * 120))));
    }

    const sim = new SimProvider({ account: ACCOUNT, dir, createLatencyMs: 0 });
    const retried = await Promise.all(Array.from({ length: MACHINES }, (_, n) => sim.create(crashTestRequest(n))));
    const listed = await sim.list({ managedBy: 'crash-test' });

    expect(new Set(retried.map((i) => i.id)).size).toBe(MACHINES);
    expect(listed.map((i) => i.id).sort()).toEqual(retried.map((i) => i.id).sort());
    const perMachine = new Map<string, number>();
    for (const i of listed) perMachine.set(i.tags[TAG_MACHINE] ?? '', (perMachine.get(i.tags[TAG_MACHINE] ?? '') ?? 0) + 1);
    expect([...perMachine.values()].every((n) => n === 1)).toBe(true);
    const files = (await readdir(accountDir(dir, ACCOUNT))).filter((f) => f.endsWith('.json'));
    expect(files).toHaveLength(MACHINES);
    expect(await readdir(tmpDir(dir))).toEqual([]);
  }, 120_000);
});
