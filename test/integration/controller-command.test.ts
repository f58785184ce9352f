import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runPolyfleet, startPolyfleet, type BackgroundPolyfleet } from '../../cli/testing/cli-process.js';
import { applyCrds, createNamespace, eventually, loadKubeConfig } from './cluster.js';
import { kubectl, kubectlOk, repoRoot } from './kubectl.js';

/** `polyfleet controller` as an operator starts it: its own process, a kubeconfig, a Lease. */
describe('polyfleet controller on the real API server', () => {
  let namespace: string;
  let dir: string;
  let controller: BackgroundPolyfleet | undefined;

  beforeAll(async () => {
    await applyCrds();
    namespace = await createNamespace(loadKubeConfig(), 'controller-cmd');
    dir = mkdtempSync(join(tmpdir(), 'polyfleet-controller-'));
  }, 120_000);

  afterAll(async () => {
    controller?.child.kill('SIGKILL');
    await controller?.exited;
    rmSync(dir, { recursive: true, force: true });
  });

  interface MachineView { metadata: { uid: string; deletionTimestamp?: string }; status?: { phase?: string } }
  const machines = async (): Promise<MachineView[]> =>
    (JSON.parse(await kubectlOk(['get', 'machines', '-n', namespace, '-o', 'json'])) as { items: MachineView[] }).items;
  const poolReady = async (): Promise<string> =>
    (await kubectl(['get', 'nodepool', '-n', namespace, 'workers', '-o', 'jsonpath={.status.conditions[?(@.type=="Ready")].status}'])).stdout;

  async function untilRunning(count: number): Promise<void> {
    await eventually(
      async () => ({ ready: await poolReady(), machines: await machines() }),
      (v) => v.ready === 'True' && v.machines.length === count && v.machines.every((m) => m.status?.phase === 'Running' && m.metadata.deletionTimestamp === undefined),
      `${count} Machines Running and the pool Ready`,
      120_000,
    );
  }

  function simInstances(): { tags: Record<string, string> }[] {
    const listed = runPolyfleet(dir, ['sim', 'instances', '--dir', join(dir, 'sim')]);
    return JSON.parse(listed.stdout) as { tags: Record<string, string> }[];
  }

  it('takes the Lease and brings the quickstart to Ready with 7 Machines, scales with kubectl, deletes leaving no instance', async () => {
    const argv = ['controller', '--namespace', namespace, '--leader-elect', '--lease-namespace', namespace, '--port', '0', '--sim-dir', join(dir, 'sim'), '--log-level', 'warn'];
    controller = startPolyfleet(dir, argv);
    const proc = controller;
    await kubectlOk(['apply', '-n', namespace, '-f', join(repoRoot, 'examples/quickstart')]);

    const holder = await eventually(
      async () => (await kubectl(['get', 'lease', '-n', namespace, 'polyfleet-controller', '-o', 'jsonpath={.spec.holderIdentity}'])).stdout,
      (h) => h !== '',
      'the controller to take the Lease',
      60_000,
    );
    expect(holder).toMatch(/_\d+_[0-9a-f]{8}$/);
    await untilRunning(7);
    expect(simInstances().map((i) => i.tags['polyfleet.io/machine']).sort()).toEqual((await machines()).map((m) => m.metadata.uid).sort());

    await kubectlOk(['scale', '-n', namespace, 'nodepool/workers', '--replicas=2']);
    await untilRunning(3);

    await kubectlOk(['delete', '-n', namespace, 'nodepool', 'workers', '--timeout=120s']);
    expect(await machines()).toEqual([]);
    expect(simInstances()).toEqual([]);

    proc.child.kill('SIGTERM');
    expect(await proc.exited).toBe(0);
    controller = undefined;
  }, 400_000);

  it('fails naming a kubeconfig it cannot load', async () => {
    const bad = startPolyfleet(dir, ['controller', '--kubeconfig', join(dir, 'missing.yaml'), '--port', '0']);
    expect(await bad.exited).toBe(1);
    expect(bad.stderr()).toContain(`polyfleet controller: cannot load the kubeconfig ${join(dir, 'missing.yaml')}`);
  }, 60_000);
});
