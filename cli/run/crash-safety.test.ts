import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { pino } from 'pino';
import type { Machine } from '../../api/index.js';
import { seededRandom } from '../../providers/sim/random.js';
import { openFileStore, type FileStore } from '../../runtime/store/file/index.js';
import { runPolyfleet, startPolyfleet, type BackgroundPolyfleet } from '../testing/cli-process.js';
import { takeSimCensus, type SimCensus } from '../testing/sim-census.js';

const quickstart = fileURLToPath(new URL('../../examples/quickstart', import.meta.url));
const SEED = 20261122;
/** Kills land this long after a restarted `polyfleet run` announced its controllers (so mid-work, not mid-boot). */
const KILL_AFTER_MS = { min: 5, max: 1_500 };
const CONVERGE_MS = 120_000;
const STEP_MS = 60_000;
const POOL = { namespace: 'default', name: 'workers' };

/**
 * The crash-safety bar (at least 50 kills; docs/architecture.md "Tests") on the file store, through
 * the CLI as a user runs it: `polyfleet run` SIGKILLed at seeded random instants across scale-up,
 * scale-down and pool deletion, restarted each time; once it converges the sim holds exactly one
 * alive instance per Machine, none leaked (the leak collector's 10 min grace never passes here, so
 * that is the controllers' own doing), none created twice for one Machine and attempt. The kill
 * instants vary with the machine's speed; the assertions hold for any of them.
 */
describe('polyfleet run killed at random instants', () => {
  const random = seededRandom(SEED);
  let dir: string;
  let simDir: string;
  let store: FileStore | undefined;
  let run: BackgroundPolyfleet | undefined;
  let kills = 0;

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'polyfleet-crash-'));
    simDir = join(dir, 'sim');
    for (const file of ['strategy.yaml', 'placementrule.yaml']) writeFileSync(join(dir, file), readFileSync(join(quickstart, file)));
  });

  afterAll(async () => {
    await stopRun();
    await store?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  function startRun(): BackgroundPolyfleet {
    run = startPolyfleet(dir, ['run', '--port', '0', '--sim-dir', simDir]);
    return run;
  }

  async function stopRun(): Promise<void> {
    if (run === undefined) return;
    run.child.kill('SIGKILL');
    await run.exited;
    run = undefined;
  }

  async function until(what: string, check: () => Promise<boolean>, deadlineMs = CONVERGE_MS): Promise<void> {
    const deadline = Date.now() + deadlineMs;
    while (!(await check())) {
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}\nrun stdout:\n${run?.stdout() ?? ''}\nrun stderr:\n${run?.stderr() ?? ''}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  /** One round: restart, let it work for a seeded while, SIGKILL it. */
  async function crashRound(): Promise<void> {
    const current = startRun();
    const exited = (): boolean => current.child.exitCode !== null || current.child.signalCode !== null;
    await until('polyfleet run to start its controllers', () => Promise.resolve(exited() || current.stdout().includes('controllers:')), STEP_MS);
    if (exited()) throw new Error(`polyfleet run exited before its controllers started\nstdout:\n${current.stdout()}\nstderr:\n${current.stderr()}`);
    const delay = KILL_AFTER_MS.min + Math.floor(random() * (KILL_AFTER_MS.max - KILL_AFTER_MS.min));
    await new Promise((resolve) => setTimeout(resolve, delay));
    await stopRun();
    kills++;
  }

  async function crashRounds(count: number): Promise<void> {
    for (let i = 0; i < count; i++) await crashRound();
  }

  function apply(replicas: number): void {
    const file = join(dir, 'nodepool.yaml');
    writeFileSync(file, readFileSync(join(quickstart, 'nodepool.yaml'), 'utf8').replace('replicas: 6', `replicas: ${replicas.toString()}`));
    const applied = runPolyfleet(dir, ['apply', '-f', dir]);
    expect(applied).toMatchObject({ status: 0, stderr: '' });
  }

  async function liveMachines(): Promise<Machine[]> {
    if (store === undefined) store = await openFileStore({ path: join(dir, '.polyfleet/state.jsonl'), readOnly: true, logger: pino({ level: 'silent' }) });
    await store.refresh();
    return store.list('Machine', { namespace: POOL.namespace });
  }

  /** Restarts once more and waits for `count` Machines Running and a settled sim; the census then. */
  async function converge(count: number): Promise<{ machines: Machine[]; census: SimCensus }> {
    startRun();
    let machines: Machine[] = [];
    let census: SimCensus | undefined;
    await until(`${count.toString()} Machines Running and the sim settled`, async () => {
      machines = await liveMachines();
      const running = machines.length === count && machines.every((m) => m.status?.phase === 'Running' && m.metadata.deletionTimestamp === undefined);
      if (!running) return false;
      census = await takeSimCensus(simDir, new Set(machines.flatMap((m) => m.metadata.uid ?? [])));
      return census.settling === 0;
    });
    if (census === undefined) throw new Error('no census taken');
    return { machines, census };
  }

  function report(phase: string, machines: readonly Machine[], census: SimCensus): void {
    process.stdout.write(
      `crash safety after ${phase}: kills=${kills.toString()} machines=${machines.length.toString()} instancesCreated=${census.created.toString()} ` +
        `instancesAlive=${census.alive.toString()} leaked=${census.leaked.length.toString()} duplicates=${census.duplicates.length.toString()} ` +
        `machinesWithoutOneInstance=${census.machinesWithoutOneInstance.length.toString()}\n`,
    );
  }

  function expectOneInstancePerMachine(census: SimCensus, machines: number): void {
    expect(census.machinesWithoutOneInstance).toEqual([]);
    expect(census.leaked).toEqual([]);
    expect(census.duplicates).toEqual([]);
    expect(census.alive).toBe(machines);
  }

  it('scale-up to 12 replicas (+1 spare) through 20 kills: 13 Machines, one instance each', async () => {
    apply(12);
    await crashRounds(20);
    const { machines, census } = await converge(13);
    report('scale-up', machines, census);
    expectOneInstancePerMachine(census, 13);
    await stopRun();
  }, CONVERGE_MS + 20 * STEP_MS);

  it('scale-down to 4 replicas through 16 kills: 5 Machines, one instance each, the rest terminated', async () => {
    apply(4);
    await crashRounds(16);
    const { machines, census } = await converge(5);
    report('scale-down', machines, census);
    expectOneInstancePerMachine(census, 5);
    await stopRun();
  }, CONVERGE_MS + 16 * STEP_MS);

  it('pool deletion from another process through 16 kills: no Machine, no alive instance', async () => {
    expect(runPolyfleet(dir, ['delete', 'nodepool', POOL.name])).toMatchObject({ status: 0 });
    await crashRounds(16);
    const machines = await converge(0).then((r) => r.machines);
    await until('the pool to be gone', async () => {
      await liveMachines();
      return (await store?.get('NodePool', POOL)) === undefined;
    });
    const census = await takeSimCensus(simDir, new Set());
    report('deletion', machines, census);
    expect(kills).toBeGreaterThanOrEqual(50);
    expect(machines).toEqual([]);
    expect(census.alive).toBe(0);
    expect(census.duplicates).toEqual([]);
    await stopRun();
  }, CONVERGE_MS + 16 * STEP_MS);
});
