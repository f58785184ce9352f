// Leader election: two manager processes on the real API server — here two `polyfleet controller`
// processes, as an operator runs two replicas, on a 5 s Lease (--leader-elect-lease-duration): exactly
// one leads; SIGKILL it and the other leads within the Lease (plus a retry and slack for a loaded
// machine) and goes on reconciling.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startPolyfleet, type BackgroundPolyfleet } from '../../cli/testing/cli-process.js';
import { applyCrds, createNamespace, eventually, loadKubeConfig } from './cluster.js';
import { kubectl, kubectlOk, repoRoot } from './kubectl.js';

const LEASE = 'polyfleet-controller';
const LEASE_SECONDS = 5;

describe('two polyfleet controller replicas on one Lease', () => {
  let namespace: string;
  let dir: string;
  const replicas: BackgroundPolyfleet[] = [];

  beforeAll(async () => {
    await applyCrds();
    namespace = await createNamespace(loadKubeConfig(), 'failover');
    dir = mkdtempSync(join(tmpdir(), 'polyfleet-failover-'));
  }, 120_000);

  afterAll(async () => {
    for (const r of replicas) r.child.kill('SIGKILL');
    await Promise.all(replicas.map((r) => r.exited));
    rmSync(dir, { recursive: true, force: true });
  });

  const holder = async (): Promise<string> =>
    (await kubectl(['get', 'lease', '-n', namespace, LEASE, '-o', 'jsonpath={.spec.holderIdentity}'])).stdout;
  /** The identity ends in _<pid>_<random>: which replica holds the Lease. */
  const holderPid = (identity: string): number => Number(identity.split('_').at(-2));
  const readyMachines = async (): Promise<number> =>
    Number((await kubectl(['get', 'nodepool', '-n', namespace, 'workers', '-o', 'jsonpath={.status.readyReplicas}'])).stdout || '0');

  it(`one leads, and after a SIGKILL the other leads within its ${String(LEASE_SECONDS)} s Lease and reconciles`, async () => {
    const argv = ['controller', '--namespace', namespace, '--leader-elect', '--leader-elect-lease-duration', `${String(LEASE_SECONDS)}s`, '--lease-namespace', namespace, '--port', '0', '--sim-dir', join(dir, 'sim'), '--log-level', 'warn'];
    replicas.push(startPolyfleet(dir, argv), startPolyfleet(dir, argv));
    const pids = replicas.map((r) => r.child.pid);
    await kubectlOk(['apply', '-n', namespace, '-f', join(repoRoot, 'examples/quickstart')]);

    const first = await eventually(holder, (h) => h !== '', 'a replica to take the Lease', 60_000);
    expect(pids).toContain(holderPid(first));
    expect((await kubectl(['get', 'lease', '-n', namespace, LEASE, '-o', 'jsonpath={.spec.leaseDurationSeconds}'])).stdout).toBe(String(LEASE_SECONDS));
    await eventually(readyMachines, (n) => n === 7, 'the leader to bring the pool to 7 Running', 120_000);
    expect(await holder()).toBe(first);
    const leader = replicas.find((r) => r.child.pid === holderPid(first));
    const follower = replicas.find((r) => r !== leader);
    if (!leader || !follower) throw new Error('no leader among the replicas');
    expect(follower.child.exitCode).toBeNull();

    const killedAt = Date.now();
    leader.child.kill('SIGKILL');
    await leader.exited;
    // The Lease, one retry period (2/15 of it), and 3 s for kubectl and a loaded machine.
    const second = await eventually(holder, (h) => h !== first, 'the other replica to take the Lease', LEASE_SECONDS * 1000 + 4_000);
    console.log(`failover on a ${String(LEASE_SECONDS)} s Lease: SIGKILL → new holder seen in ${String(Date.now() - killedAt)} ms`);
    expect(holderPid(second)).toBe(follower.child.pid);

    await kubectlOk(['scale', '-n', namespace, 'nodepool/workers', '--replicas=2']);
    await eventually(readyMachines, (n) => n === 3, 'the new leader to scale the pool to 2 + 1 spare', 120_000);
  }, 300_000);
});
