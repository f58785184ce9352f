import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { startPolyfleet, type BackgroundPolyfleet } from '../../cli/testing/cli-process.js';
import { takeSimCensus } from '../../cli/testing/sim-census.js';
import { TAG_MANAGED_BY } from '../../providers/index.js';
import { listAllInstanceFiles } from '../../providers/sim/index.js';
import { openFileStore } from '../../runtime/store/file/index.js';
import { applyCrds, createNamespace, eventually, loadKubeConfig } from './cluster.js';
import { kubectlOk, repoRoot } from './kubectl.js';

const LEAK_GRACE = '30s';
/** Past two leak-grace periods: each collector has swept the other's instances at least three times. */
const SHARED_FOR_MS = 75_000;

/**
 * Three installations on the same sim accounts: two standalone (two state files) and one cluster
 * installation on the real API server, each with its own pool named alike in the same namespace
 * name, running longer than two leak grace periods. Each must see the others' instances as not its
 * own: every pool stays complete and not one instance is terminated.
 */
describe('installations sharing a cloud account', () => {
  let dir: string;
  let simDir: string;
  let namespace: string;
  const running: BackgroundPolyfleet[] = [];

  beforeAll(async () => {
    await applyCrds();
    namespace = await createNamespace(loadKubeConfig(), 'installations');
    dir = mkdtempSync(join(tmpdir(), 'polyfleet-installations-'));
    simDir = join(dir, 'sim');
  }, 120_000);

  afterAll(async () => {
    for (const p of running) p.child.kill('SIGKILL');
    await Promise.all(running.map((p) => p.exited));
    rmSync(dir, { recursive: true, force: true });
  });

  /** A copy of the quickstart in `namespace` with `replicas` (plus the spare). */
  function quickstartIn(where: string, ns: string, replicas: number): string {
    mkdirSync(where, { recursive: true });
    for (const file of ['strategy.yaml', 'placementrule.yaml', 'nodepool.yaml']) {
      const text = readFileSync(join(repoRoot, 'examples/quickstart', file), 'utf8').replace('replicas: 6', `replicas: ${replicas.toString()}`);
      writeFileSync(join(where, file), ns === 'default' ? text : text.replace(/^metadata:\n/m, `metadata:\n  namespace: ${ns}\n`));
    }
    return where;
  }

  async function standaloneMachines(state: string): Promise<{ uid: string; phase: string | undefined }[]> {
    const store = await openFileStore({ path: state, readOnly: true, logger: pino({ level: 'silent' }) });
    try {
      return (await store.list('Machine', { namespace: 'default' })).map((m) => ({ uid: m.metadata.uid ?? '', phase: m.status?.phase }));
    } finally {
      await store.close();
    }
  }

  async function clusterMachines(): Promise<{ uid: string; phase: string | undefined }[]> {
    const listed = JSON.parse(await kubectlOk(['get', 'machines', '-n', namespace, '-o', 'json'])) as { items: { metadata: { uid: string }; status?: { phase?: string } }[] };
    return listed.items.map((m) => ({ uid: m.metadata.uid, phase: m.status?.phase }));
  }

  it('two state files and a cluster on the same sim accounts: every pool stays complete and no instance is terminated', async () => {
    const stateA = join(dir, 'a.jsonl');
    const stateB = join(dir, 'b.jsonl');
    const common = ['--port', '0', '--sim-dir', simDir, '--leak-grace', LEAK_GRACE, '--log-level', 'warn'];
    running.push(startPolyfleet(dir, ['run', '--state', stateA, '-f', quickstartIn(join(dir, 'a'), 'default', 3), ...common]));
    running.push(startPolyfleet(dir, ['run', '--state', stateB, '-f', quickstartIn(join(dir, 'b'), 'default', 2), ...common]));
    running.push(startPolyfleet(dir, ['controller', '--namespace', namespace, ...common]));
    await kubectlOk(['apply', '-f', quickstartIn(join(dir, 'cluster'), namespace, 4)]);

    const complete = async () => {
      const [a, b, c] = await Promise.all([standaloneMachines(stateA), standaloneMachines(stateB), clusterMachines()]);
      return { a, b, c };
    };
    const allRunning = (ms: readonly { phase: string | undefined }[], n: number) => ms.length === n && ms.every((m) => m.phase === 'Running');
    const first = await eventually(complete, (v) => allRunning(v.a, 4) && allRunning(v.b, 3) && allRunning(v.c, 5), 'the three pools Running (4, 3 and 5 Machines)', 180_000);

    // Three identities: the two state files' own, and the cluster's (from its kube-system Namespace).
    const identities = new Set((await listAllInstanceFiles(simDir)).map((f) => f.record.tags[TAG_MANAGED_BY]));
    expect(identities.size).toBe(3);
    expect([...identities].filter((i) => i?.startsWith('pf-'))).toHaveLength(2);
    expect([...identities].filter((i) => i?.startsWith('k8s-'))).toHaveLength(1);

    await new Promise((resolve) => setTimeout(resolve, SHARED_FOR_MS));
    const after = await complete();
    const uids = (v: typeof first) => [...v.a, ...v.b, ...v.c].map((m) => m.uid).sort();
    expect(uids(after)).toEqual(uids(first));
    expect(allRunning(after.a, 4) && allRunning(after.b, 3) && allRunning(after.c, 5)).toBe(true);
    const census = await takeSimCensus(simDir, new Set(uids(after)));
    expect({ created: census.created, alive: census.alive, leaked: census.leaked, duplicates: census.duplicates }).toEqual({ created: 12, alive: 12, leaked: [], duplicates: [] });
    for (const p of running) expect(p.stderr()).not.toMatch(/collected leaked instance/);
  }, 420_000);
});
