import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { pino } from 'pino';
import type { Machine, NodePool } from '../../api/index.js';
import { openFileStore, type FileStore } from '../../runtime/store/file/index.js';
import { runPolyfleet, startPolyfleet, type BackgroundPolyfleet } from '../testing/cli-process.js';

const quickstart = fileURLToPath(new URL('../../examples/quickstart', import.meta.url));
const DEADLINE_MS = 120_000;

/**
 * The quickstart as a user runs it: `polyfleet run` in the background, every other command from
 * processes of their own on the same state and sim dir, converging by polling, never by timing.
 */
describe('the quickstart, end to end on the file store', () => {
  let dir: string;
  let simDir: string;
  let run: BackgroundPolyfleet;
  let store: FileStore;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'polyfleet-quickstart-'));
    simDir = join(dir, 'sim');
    run = startPolyfleet(dir, ['run', '-f', quickstart, '--port', '0', '--sim-dir', simDir]);
    const state = join(dir, '.polyfleet/state.jsonl');
    await until('the state file', () => Promise.resolve(readable(state)));
    store = await openFileStore({ path: state, readOnly: true, logger: pino({ level: 'silent' }) });
  }, DEADLINE_MS);

  afterAll(async () => {
    await store.close();
    run.child.kill('SIGKILL');
    await run.exited;
    rmSync(dir, { recursive: true, force: true });
  });

  async function until(what: string, check: () => Promise<boolean>): Promise<void> {
    const deadline = Date.now() + DEADLINE_MS;
    while (!(await check())) {
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}\nrun stdout:\n${run.stdout()}\nrun stderr:\n${run.stderr()}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  async function observe(): Promise<{ pool: NodePool | undefined; machines: Machine[] }> {
    await store.refresh();
    return { pool: await store.get('NodePool', { namespace: 'default', name: 'workers' }), machines: await store.list('Machine') };
  }

  async function untilRunning(count: number): Promise<void> {
    await until(`${count} Machines Running and the pool Ready`, async () => {
      const { pool, machines } = await observe();
      const ready = pool?.status?.conditions?.find((c) => c.type === 'Ready')?.status === 'True';
      return ready && machines.length === count && machines.every((m) => m.status?.phase === 'Running' && m.metadata.deletionTimestamp === undefined);
    });
  }

  function simInstances(): { id: string; state: string; tags: Record<string, string> }[] {
    const listed = runPolyfleet(dir, ['sim', 'instances', '--dir', simDir]);
    expect(listed.status).toBe(0);
    return JSON.parse(listed.stdout) as { id: string; state: string; tags: Record<string, string> }[];
  }

  function applyReplicas(replicas: number): void {
    const file = join(dir, `pool-${replicas}.yaml`);
    writeFileSync(file, readFileSync(join(quickstart, 'nodepool.yaml'), 'utf8').replace('replicas: 6', `replicas: ${replicas}`));
    expect(runPolyfleet(dir, ['apply', '-f', file])).toMatchObject({ status: 0, stdout: 'nodepool.polyfleet.io/workers configured\n' });
  }

  it('reaches Ready with 7 Machines Running (6 replicas "+1"), one sim instance each, listed by members', async () => {
    await untilRunning(7);
    // The run prints the pool's line when its watch delivers the status, a moment after the state file has it.
    const readyLine = /^\d\d:\d\d:\d\d workers: 7\/7 running · \$[\d.]+\/h · Ready$/m;
    await until('the run to print the pool Ready', () => Promise.resolve(readyLine.test(run.stdout())));
    const { machines } = await observe();
    const instances = simInstances();
    expect(instances.map((i) => i.tags['polyfleet.io/machine']).sort()).toEqual(machines.map((m) => m.metadata.uid).sort());
    const members = runPolyfleet(dir, ['members']);
    expect(members.status).toBe(0);
    const rows = members.stdout.trimEnd().split('\n').slice(1);
    expect(rows).toHaveLength(7);
    for (const row of rows) expect(row).toMatch(/^workers-[a-z0-9]{5} +198\.\S+ +Running +sim-[abc] +\S+ +\S+ +workers$/);
  }, DEADLINE_MS);

  it('replaces a Machine whose instance polyfleet sim kill killed', async () => {
    const victim = simInstances()[0];
    if (victim === undefined) throw new Error('no sim instance to kill');
    expect(runPolyfleet(dir, ['sim', 'kill', victim.id, '--dir', simDir]).status).toBe(0);
    const killedUid = victim.tags['polyfleet.io/machine'];
    await until('the killed instance\'s Machine to be replaced', async () => {
      const { machines } = await observe();
      return !machines.some((m) => m.metadata.uid === killedUid) && machines.length === 7 && machines.every((m) => m.status?.phase === 'Running');
    });
  }, DEADLINE_MS);

  it('replaces a Machine whose instance polyfleet sim stop stopped, and deletes the stopped instance', async () => {
    const victim = simInstances().find((i) => i.state === 'running');
    if (victim === undefined) throw new Error('no running sim instance to stop');
    expect(runPolyfleet(dir, ['sim', 'stop', victim.id, '--dir', simDir]).status).toBe(0);
    const stoppedUid = victim.tags['polyfleet.io/machine'];
    await until('the stopped instance\'s Machine to be replaced and the instance deleted', async () => {
      const { machines } = await observe();
      const replaced = !machines.some((m) => m.metadata.uid === stoppedUid) && machines.length === 7 && machines.every((m) => m.status?.phase === 'Running');
      return replaced && !simInstances().some((i) => i.id === victim.id);
    });
  }, DEADLINE_MS);

  it('scales up and down through apply from another process', async () => {
    applyReplicas(8);
    await untilRunning(9);
    applyReplicas(2);
    await untilRunning(3);
    await until('the sim to hold 3 instances', () => Promise.resolve(simInstances().filter((i) => i.state !== 'terminated').length === 3));
  }, DEADLINE_MS * 2);

  it('deletes the pool with --wait, a stopped instance in it: every sim instance terminated, then the objects gone', async () => {
    const stopped = simInstances().find((i) => i.state === 'running');
    if (stopped === undefined) throw new Error('no running sim instance to stop');
    expect(runPolyfleet(dir, ['sim', 'stop', stopped.id, '--dir', simDir]).status).toBe(0);
    const deleted = runPolyfleet(dir, ['delete', 'nodepool', 'workers', '--wait', '--timeout', '2m']);
    expect(deleted).toMatchObject({ status: 0, stdout: 'nodepool.polyfleet.io "workers" deleted\n' });
    expect(simInstances()).toEqual([]);
    const { pool, machines } = await observe();
    expect(pool).toBeUndefined();
    expect(machines).toEqual([]);
  }, DEADLINE_MS);

  it('stops on SIGTERM with exit 0', async () => {
    run.child.kill('SIGTERM');
    expect(await run.exited).toBe(0);
  }, DEADLINE_MS);
});

function readable(path: string): boolean {
  try {
    readFileSync(path);
    return true;
  } catch {
    return false;
  }
}
