import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startPolyfleet, type BackgroundPolyfleet } from '../../cli/testing/cli-process.js';
import { takeSimCensus, type SimCensus } from '../../cli/testing/sim-census.js';
import { seededRandom } from '../../providers/sim/random.js';
import { applyCrds, createNamespace, eventually, loadKubeConfig } from './cluster.js';
import { kubectlOk, repoRoot } from './kubectl.js';

const SEED = 20261123;
/** Kills land this long after a restarted controller said it serves its probes (its controllers start next). */
const KILL_AFTER_MS = { min: 5, max: 1_500 };
/** 17 kills a phase, 51 in all: the crash-safety bar of 50 kills holds on the kube store too. */
const KILLS_PER_PHASE = 17;
const CONVERGE_MS = 150_000;
const STEP_MS = 60_000;

interface MachineView { metadata: { uid: string; deletionTimestamp?: string }; status?: { phase?: string } }

/**
 * `polyfleet controller` (no Lease: one replica, restarted at once, as a Deployment's pod would be)
 * SIGKILLed at seeded random instants across scale-up, scale-down and pool deletion on the real API
 * server; after each phase the sim holds exactly one alive instance per Machine, none leaked, none
 * created twice for one Machine and attempt.
 */
describe('polyfleet controller killed at random instants on the real API server', () => {
  const random = seededRandom(SEED);
  let namespace: string;
  let dir: string;
  let simDir: string;
  let controller: BackgroundPolyfleet | undefined;
  let kills = 0;

  beforeAll(async () => {
    await applyCrds();
    namespace = await createNamespace(loadKubeConfig(), 'crash-safety');
    dir = mkdtempSync(join(tmpdir(), 'polyfleet-controller-crash-'));
    simDir = join(dir, 'sim');
  }, 120_000);

  afterAll(async () => {
    await stopController();
    rmSync(dir, { recursive: true, force: true });
  });

  function startController(): BackgroundPolyfleet {
    const argv = ['controller', '--namespace', namespace, '--no-leader-elect', '--port', '0', '--sim-dir', simDir, '--log-level', 'info'];
    controller = startPolyfleet(dir, argv);
    return controller;
  }

  async function stopController(): Promise<void> {
    if (controller === undefined) return;
    controller.child.kill('SIGKILL');
    await controller.exited;
    controller = undefined;
  }

  async function crashRound(): Promise<void> {
    const current = startController();
    const exited = (): boolean => current.child.exitCode !== null || current.child.signalCode !== null;
    await eventually(() => exited() || `${current.stdout()}${current.stderr()}`.includes('serving /metrics'), Boolean, 'polyfleet controller to start', STEP_MS);
    if (exited()) throw new Error(`polyfleet controller exited before starting\nstdout:\n${current.stdout()}\nstderr:\n${current.stderr()}`);
    await new Promise((resolve) => setTimeout(resolve, KILL_AFTER_MS.min + Math.floor(random() * (KILL_AFTER_MS.max - KILL_AFTER_MS.min))));
    await stopController();
    kills++;
  }

  async function crashRounds(): Promise<void> {
    for (let i = 0; i < KILLS_PER_PHASE; i++) await crashRound();
  }

  async function applyReplicas(replicas: number): Promise<void> {
    const file = join(dir, 'nodepool.yaml');
    writeFileSync(file, readFileSync(join(repoRoot, 'examples/quickstart/nodepool.yaml'), 'utf8').replace('replicas: 6', `replicas: ${replicas.toString()}`));
    for (const manifest of [join(repoRoot, 'examples/quickstart/strategy.yaml'), join(repoRoot, 'examples/quickstart/placementrule.yaml'), file]) {
      await kubectlOk(['apply', '-n', namespace, '-f', manifest]);
    }
  }

  const machines = async (): Promise<MachineView[]> =>
    (JSON.parse(await kubectlOk(['get', 'machines', '-n', namespace, '-o', 'json'])) as { items: MachineView[] }).items;

  /** Restarts once more; waits for `count` Machines Running and a settled sim; the census then. */
  async function converge(count: number): Promise<{ machines: MachineView[]; census: SimCensus }> {
    startController();
    const seen = await eventually(
      async () => {
        const listed = await machines();
        const running = listed.length === count && listed.every((m) => m.status?.phase === 'Running' && m.metadata.deletionTimestamp === undefined);
        return { machines: listed, census: running ? await takeSimCensus(simDir, new Set(listed.map((m) => m.metadata.uid))) : undefined };
      },
      (v) => v.census?.settling === 0,
      `${count.toString()} Machines Running and the sim settled`,
      CONVERGE_MS,
    );
    if (seen.census === undefined) throw new Error('no census taken');
    report(count, seen.machines, seen.census);
    return { machines: seen.machines, census: seen.census };
  }

  function report(count: number, listed: readonly MachineView[], census: SimCensus): void {
    process.stdout.write(
      `controller crash safety at ${count.toString()} Machines: kills=${kills.toString()} machines=${listed.length.toString()} instancesCreated=${census.created.toString()} ` +
        `instancesAlive=${census.alive.toString()} leaked=${census.leaked.length.toString()} duplicates=${census.duplicates.length.toString()} ` +
        `machinesWithoutOneInstance=${census.machinesWithoutOneInstance.length.toString()}\n`,
    );
  }

  function expectOneInstancePerMachine(census: SimCensus, count: number): void {
    expect(census.machinesWithoutOneInstance).toEqual([]);
    expect(census.leaked).toEqual([]);
    expect(census.duplicates).toEqual([]);
    expect(census.alive).toBe(count);
  }

  it('scale-up to 12 replicas (+1 spare): 13 Machines, one instance each', async () => {
    await applyReplicas(12);
    await crashRounds();
    expectOneInstancePerMachine((await converge(13)).census, 13);
    await stopController();
  }, CONVERGE_MS + KILLS_PER_PHASE * STEP_MS);

  it('scale-down to 4 replicas: 5 Machines, one instance each, the rest terminated', async () => {
    await kubectlOk(['scale', '-n', namespace, 'nodepool/workers', '--replicas=4']);
    await crashRounds();
    expectOneInstancePerMachine((await converge(5)).census, 5);
    await stopController();
  }, CONVERGE_MS + KILLS_PER_PHASE * STEP_MS);

  it('pool deletion: no Machine, no alive instance, no NodePool', async () => {
    await kubectlOk(['delete', '-n', namespace, 'nodepool', 'workers', '--wait=false']);
    await crashRounds();
    const { census } = await converge(0);
    await eventually(() => kubectlOk(['get', 'nodepools', '-n', namespace, '-o', 'name']), (out) => out === '', 'the NodePool to be gone', CONVERGE_MS);
    expect(census.alive).toBe(0);
    expect(census.duplicates).toEqual([]);
    expect(kills).toBe(3 * KILLS_PER_PHASE);
    await stopController();
  }, 2 * CONVERGE_MS + KILLS_PER_PHASE * STEP_MS);
});
