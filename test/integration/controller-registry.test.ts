import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Etcd3 } from 'etcd3';
import { startPolyfleet, type BackgroundPolyfleet } from '../../cli/testing/cli-process.js';
import { startEtcdCluster, type EtcdCluster } from '../etcd/etcd-cluster.js';
import { applyCrds, createNamespace, eventually, loadKubeConfig } from './cluster.js';
import { kubectlOk, repoRoot } from './kubectl.js';

/** `polyfleet controller --registry-etcd …` in cluster mode: the Machines of the API server published in an etcd of the user's own. */
describe('polyfleet controller with a node registry', () => {
  let namespace: string;
  let dir: string;
  let etcd: EtcdCluster;
  let client: Etcd3;
  let controller: BackgroundPolyfleet | undefined;

  beforeAll(async () => {
    await applyCrds();
    namespace = await createNamespace(loadKubeConfig(), 'controller-registry');
    dir = mkdtempSync(join(tmpdir(), 'polyfleet-controller-registry-'));
    etcd = await startEtcdCluster();
    client = new Etcd3({ hosts: etcd.hosts.split(',').map((h) => `http://${h}`) });
  }, 120_000);

  afterAll(async () => {
    controller?.child.kill('SIGKILL');
    await controller?.exited;
    client.close();
    await etcd.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  const hostKeys = async (): Promise<string[]> => (await client.getAll().prefix(`/fleet/hosts/${namespace}/`).keys()).sort();

  it('publishes every host under hosts/<namespace>/ with a DNS record, and removes them when the pool goes', async () => {
    const argv = ['controller', '--namespace', namespace, '--no-leader-elect', '--port', '0', '--sim-dir', join(dir, 'sim'), '--log-level', 'warn'];
    controller = startPolyfleet(dir, [...argv, '--registry-etcd', `etcd://${etcd.hosts}`, '--registry-etcd-prefix', '/fleet/', '--dns-domain', 'fleet.example']);
    await kubectlOk(['apply', '-n', namespace, '-f', join(repoRoot, 'examples/quickstart')]);
    const machines = async (): Promise<string[]> =>
      (JSON.parse(await kubectlOk(['get', 'machines', '-n', namespace, '-o', 'json'])) as { items: { metadata: { name: string }; status?: { phase?: string } }[] }).items
        .filter((m) => m.status?.phase === 'Running')
        .map((m) => m.metadata.name)
        .sort();
    const published = await eventually(
      async () => ({ running: await machines(), keys: await hostKeys() }),
      (v) => v.running.length === 7 && JSON.stringify(v.keys) === JSON.stringify(v.running.map((n) => `/fleet/hosts/${namespace}/${n}`)),
      '7 Running Machines, each published',
      180_000,
    );
    const dns = await client.getAll().prefix(`/skydns/example/fleet/${namespace}/workers/`).keys();
    expect(dns.map((k) => k.slice(k.lastIndexOf('/') + 1)).sort()).toEqual(published.running);

    await kubectlOk(['delete', '-n', namespace, 'nodepool', 'workers', '--timeout=120s']);
    await eventually(hostKeys, (keys) => keys.length === 0, 'every host key removed', 60_000);
    expect(await client.getAll().prefix(`/skydns/example/fleet/${namespace}/`).keys()).toEqual([]);
    expect(await client.getAll().prefix('/fleet/unclustered/').keys()).toEqual([]);
  }, 400_000);
});
