import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startPolyfleet, type BackgroundPolyfleet } from '../../cli/testing/cli-process.js';
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

  it('takes the Lease, resolves a Strategy through the sim, and stops on SIGTERM', async () => {
    const argv = ['controller', '--namespace', namespace, '--leader-elect', '--lease-namespace', namespace, '--port', '0', '--sim-dir', join(dir, 'sim'), '--log-level', 'warn'];
    controller = startPolyfleet(dir, argv, { ...process.env });
    const proc = controller;
    await kubectlOk(['apply', '-n', namespace, '-f', join(repoRoot, 'examples/quickstart/strategy.yaml')]);

    const holder = await eventually(
      async () => (await kubectl(['get', 'lease', '-n', namespace, 'polyfleet-controller', '-o', 'jsonpath={.spec.holderIdentity}'])).stdout,
      (h) => h !== '',
      'the controller to take the Lease',
      60_000,
    );
    expect(holder).toMatch(/_\d+_[0-9a-f]{8}$/);
    const offerings = await eventually(
      async () => (await kubectl(['get', 'strategy', '-n', namespace, 'sim-cheapest', '-o', 'jsonpath={.status.offeringCount}'])).stdout,
      (count) => Number(count) > 0,
      `the Strategy's offerings (controller stderr: ${proc.stderr()})`,
      60_000,
    );
    expect(Number(offerings)).toBeGreaterThan(0);

    proc.child.kill('SIGTERM');
    expect(await proc.exited).toBe(0);
    controller = undefined;
  }, 180_000);

  it('fails naming a kubeconfig it cannot load', async () => {
    const bad = startPolyfleet(dir, ['controller', '--kubeconfig', join(dir, 'missing.yaml'), '--port', '0']);
    expect(await bad.exited).toBe(1);
    expect(bad.stderr()).toContain(`polyfleet controller: cannot load the kubeconfig ${join(dir, 'missing.yaml')}`);
  }, 60_000);
});
