import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startPolyfleet, type BackgroundPolyfleet } from '../../cli/testing/cli-process.js';
import { takeSimCensus } from '../../cli/testing/sim-census.js';
import { listAllInstanceFiles } from '../../providers/sim/index.js';
import { applyCrds, createNamespace, eventually, loadKubeConfig } from './cluster.js';
import { kubectl, kubectlOk, repoRoot } from './kubectl.js';

/** After every Machine has seen its Strategy missing: a while longer, for the pool and Machines to look again. */
const MISSING_FOR_MS = 10_000;

/**
 * Argo CD's prune-and-recreate (or `kubectl replace --force`) of a Strategy under a Running pool,
 * on the real API server with `polyfleet controller`: while the Strategy is gone every Machine
 * keeps its instance and says what is missing; once it is back nothing was terminated or created.
 */
describe('a Strategy deleted and re-created under a Running pool', () => {
  let namespace: string;
  let dir: string;
  let controller: BackgroundPolyfleet | undefined;

  beforeAll(async () => {
    await applyCrds();
    namespace = await createNamespace(loadKubeConfig(), 'recreate');
    dir = mkdtempSync(join(tmpdir(), 'polyfleet-recreate-'));
  }, 120_000);

  afterAll(async () => {
    controller?.child.kill('SIGKILL');
    await controller?.exited;
    rmSync(dir, { recursive: true, force: true });
  });

  interface MachineView {
    metadata: { uid: string; deletionTimestamp?: string };
    status?: { phase?: string; conditions?: { type: string; status: string; reason: string }[] };
  }
  const machines = async (): Promise<MachineView[]> => (JSON.parse(await kubectlOk(['get', 'machines', '-n', namespace, '-o', 'json'])) as { items: MachineView[] }).items;
  const allRunning = (ms: readonly MachineView[]) => ms.length === 7 && ms.every((m) => m.status?.phase === 'Running' && m.metadata.deletionTimestamp === undefined);

  it('terminates nothing and creates nothing', async () => {
    const simDir = join(dir, 'sim');
    controller = startPolyfleet(dir, ['controller', '--namespace', namespace, '--port', '0', '--sim-dir', simDir, '--log-level', 'warn']);
    await kubectlOk(['apply', '-n', namespace, '-f', join(repoRoot, 'examples/quickstart')]);
    const before = await eventually(machines, allRunning, 'the quickstart pool Running (7 Machines)', 180_000);
    const instancesBefore = (await listAllInstanceFiles(simDir)).map((f) => f.record.id).sort();
    expect(instancesBefore).toHaveLength(7);

    await kubectlOk(['delete', '-n', namespace, 'strategy', 'sim-cheapest']);
    await eventually(
      machines,
      (ms) => ms.every((m) => m.status?.conditions?.some((c) => c.type === 'ProviderAccountFound' && c.status === 'False' && c.reason === 'StrategyNotFound') === true),
      'every Machine to say its Strategy is missing',
      60_000,
    );
    await new Promise((resolve) => setTimeout(resolve, MISSING_FOR_MS));
    const during = await machines();
    expect(during.map((m) => [m.metadata.uid, m.status?.phase]).sort()).toEqual(before.map((m) => [m.metadata.uid, 'Running']).sort());
    const pool = await kubectl(['get', 'nodepool', '-n', namespace, 'workers', '-o', 'jsonpath={.status.conditions[?(@.type=="Ready")].reason}']);
    expect(pool.stdout).toBe('StrategyNotFound');

    await kubectlOk(['apply', '-n', namespace, '-f', join(repoRoot, 'examples/quickstart/strategy.yaml')]);
    const after = await eventually(
      machines,
      (ms) => allRunning(ms) && ms.every((m) => m.status?.conditions?.some((c) => c.type === 'ProviderAccountFound' && c.status === 'True') === true),
      'every Machine to find its account again',
      90_000,
    );
    expect(after.map((m) => m.metadata.uid).sort()).toEqual(before.map((m) => m.metadata.uid).sort());
    const census = await takeSimCensus(simDir, new Set(after.map((m) => m.metadata.uid)));
    expect({ created: census.created, alive: census.alive, leaked: census.leaked }).toEqual({ created: 7, alive: 7, leaked: [] });
    expect((await listAllInstanceFiles(simDir)).map((f) => f.record.id).sort()).toEqual(instancesBefore);
  }, 420_000);
});
