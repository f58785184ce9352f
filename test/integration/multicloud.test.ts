// One NodePool across three clouds on the real API server, as an operator runs it: moto (EC2), the
// fake Compute Engine and the fake DigitalOcean on loopback; their credentials in Secrets of type
// polyfleet.io/credentials; examples/multicloud applied with kubectl, endpoints pointed at the test
// servers; `polyfleet controller --allow-endpoint 127.0.0.1` in its own process. Every group of 3
// lands on 3 clouds, every Machine runs, the pool's status counts each cloud and the cost; deleting
// the pool leaves no instance in any cloud, as each cloud itself reports it.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { moneyToMicros, type Machine, type NodePool } from '../../api/index.js';
import { startPolyfleet, type BackgroundPolyfleet } from '../../cli/testing/cli-process.js';
import { CREDENTIALS_SECRET_TYPE } from '../../runtime/secrets/index.js';
import { CLOUD_TYPES, startCloudEndpoints, type CloudEndpoints, type CloudType } from '../fakes/cloud-endpoints.js';
import { applyCrds, createNamespace, eventually, loadKubeConfig } from './cluster.js';
import { censusCounts, cloudCensus, multicloudAccounts, MULTICLOUD_POOL, writeMulticloudCopy } from './fixtures/multicloud.js';
import { kubectl, kubectlOk } from './kubectl.js';

const MANAGED_BY = 'polyfleet-multicloud-it';

describe('one NodePool across aws, gcp and digitalocean on the real API server', () => {
  let namespace: string;
  let dir: string;
  let endpoints: CloudEndpoints | undefined;
  let controller: BackgroundPolyfleet | undefined;

  beforeAll(async () => {
    await applyCrds();
    namespace = await createNamespace(loadKubeConfig(), 'multicloud');
    dir = mkdtempSync(join(tmpdir(), 'polyfleet-multicloud-'));
    endpoints = await startCloudEndpoints();
  }, 120_000);

  afterAll(async () => {
    controller?.child.kill('SIGKILL');
    await controller?.exited;
    await endpoints?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  const machines = async (): Promise<Machine[]> => (JSON.parse(await kubectlOk(['get', 'machines', '-n', namespace, '-o', 'json'])) as { items: Machine[] }).items;
  const pool = async (): Promise<NodePool | undefined> => {
    const r = await kubectl(['get', 'nodepool', MULTICLOUD_POOL, '-n', namespace, '-o', 'json']);
    return r.code === 0 ? (JSON.parse(r.stdout) as NodePool) : undefined;
  };
  const ready = (p: NodePool | undefined) => p?.status?.conditions?.find((c) => c.type === 'Ready')?.status === 'True';

  /** One Secret per account, named as examples/multicloud names it, holding the agreed keys, of the type polyfleet uses. */
  async function createSecrets(clouds: CloudEndpoints): Promise<void> {
    const accounts = multicloudAccounts();
    for (const type of CLOUD_TYPES) {
      const name = accounts[type].credentialsSecretRef?.name;
      if (name === undefined) throw new Error(`examples/multicloud: the ${type} account names no credentialsSecretRef`);
      const literals = Object.entries(clouds.clouds[type].credentials).map(([key, value]) => `--from-literal=${key}=${value}`);
      await kubectlOk(['create', 'secret', 'generic', name, '-n', namespace, `--type=${CREDENTIALS_SECRET_TYPE}`, ...literals]);
    }
  }

  it('spreads every group of 3 over 3 clouds, runs them all, counts them per cloud, and deletes leaving no instance', async () => {
    if (endpoints === undefined) throw new Error('the test clouds did not start');
    const clouds = endpoints;
    await createSecrets(clouds);
    await kubectlOk(['apply', '-n', namespace, '-f', writeMulticloudCopy(clouds, 'secret', join(dir, 'manifests'))]);
    controller = startPolyfleet(dir, ['controller', '--namespace', namespace, '--managed-by', MANAGED_BY, '--allow-endpoint', '127.0.0.1', '--port', '0', '--log-level', 'warn'], {
      ...process.env,
      AWS_EC2_METADATA_DISABLED: 'true',
    });

    const settled = await eventually(
      async () => ({ pool: await pool(), machines: await machines() }),
      (v) => ready(v.pool) && v.machines.length === 6 && v.machines.every((m) => m.status?.phase === 'Running'),
      'the multicloud pool Ready with 6 Running Machines',
      240_000,
    );

    const bySlot = [...settled.machines].sort((a, b) => a.spec.slot - b.spec.slot);
    for (const group of [bySlot.slice(0, 3), bySlot.slice(3, 6)]) {
      expect(group.map((m) => m.spec.providerType).sort()).toEqual(['aws', 'digitalocean', 'gcp']);
    }
    const accounts = multicloudAccounts();
    const perCloud = (type: CloudType) =>
      (settled.pool?.status?.domains ?? []).filter((d) => d.domain.startsWith(`${accounts[type].name}/`)).reduce((n, d) => n + d.readyReplicas, 0);
    expect(Object.fromEntries(CLOUD_TYPES.map((t) => [t, perCloud(t)]))).toEqual({ aws: 2, gcp: 2, digitalocean: 2 });
    const machineCost = settled.machines.reduce((sum, m) => sum + moneyToMicros(m.status?.hourlyPrice ?? '0'), 0);
    expect(machineCost).toBeGreaterThan(0);
    expect(moneyToMicros(settled.pool?.status?.hourlyCost ?? '0')).toBe(machineCost);

    const census = await cloudCensus(clouds);
    expect(censusCounts(census)).toEqual({ aws: 2, gcp: 2, digitalocean: 2 });
    const instanceIds = settled.machines.map((m) => m.status?.instanceId).sort();
    expect(CLOUD_TYPES.flatMap((t) => census[t].map((i) => i.id)).sort()).toEqual(instanceIds);
    expect(census.aws.map((i) => i.tags['polyfleet.io/machine']).sort()).toEqual(
      settled.machines.filter((m) => m.spec.providerType === 'aws').map((m) => m.metadata.uid).sort(),
    );

    await kubectlOk(['delete', 'nodepool', MULTICLOUD_POOL, '-n', namespace, '--timeout=180s']);
    expect(await machines()).toEqual([]);
    expect(censusCounts(await cloudCensus(clouds))).toEqual({ aws: 0, gcp: 0, digitalocean: 0 });

    const proc = controller;
    proc.child.kill('SIGTERM');
    expect(await proc.exited).toBe(0);
    controller = undefined;
  }, 480_000);
});
