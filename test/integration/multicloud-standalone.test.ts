// The multicloud pool without a cluster, as a user runs it: `polyfleet run -f` on a copy of
// examples/multicloud whose accounts point at moto, the fake Compute Engine and the fake
// DigitalOcean and read their credentials from ${env.…} references; and `polyfleet create -s` of
// examples/aws's Strategy against moto, checked with the EC2 API itself, then `polyfleet delete`.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { parseAllDocuments, stringify } from 'yaml';
import type { Machine, NodePool, ProviderAccount } from '../../api/index.js';
import { startPolyfleet, type BackgroundPolyfleet } from '../../cli/testing/cli-process.js';
import { openFileStore } from '../../runtime/store/file/index.js';
import { CLOUD_TYPES, startCloudEndpoints, type CloudEndpoints } from '../fakes/cloud-endpoints.js';
import { eventually } from './cluster.js';
import { censusCounts, cloudCensus, MULTICLOUD_POOL, writeMulticloudCopy } from './fixtures/multicloud.js';
import { repoRoot } from './kubectl.js';

const DEADLINE_MS = 240_000;

describe('the multicloud pool standalone, credentials from ${env.…} references', () => {
  let dir: string;
  let endpoints: CloudEndpoints | undefined;
  const running: BackgroundPolyfleet[] = [];

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'polyfleet-multicloud-standalone-'));
    endpoints = await startCloudEndpoints();
  }, 120_000);

  afterAll(async () => {
    for (const p of running) p.child.kill('SIGKILL');
    await Promise.all(running.map((p) => p.exited));
    await endpoints?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  function clouds(): CloudEndpoints {
    if (endpoints === undefined) throw new Error('the test clouds did not start');
    return endpoints;
  }

  /** The credentials reach the child only through its environment, as a user's shell passes them. */
  function polyfleet(cwd: string, argv: readonly string[]): BackgroundPolyfleet {
    const p = startPolyfleet(cwd, argv, { ...process.env, ...clouds().env, AWS_EC2_METADATA_DISABLED: 'true' });
    running.push(p);
    return p;
  }

  /** Runs one command to its end without blocking this process, which serves the fake clouds. */
  async function polyfleetToEnd(cwd: string, argv: readonly string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
    const p = polyfleet(cwd, argv);
    const code = await p.exited;
    return { code, stdout: p.stdout(), stderr: p.stderr() };
  }

  async function stateOf(state: string, pool: string): Promise<{ pool: NodePool | undefined; machines: Machine[]; installation: string }> {
    const store = await openFileStore({ path: state, readOnly: true, logger: pino({ level: 'silent' }) });
    try {
      return { pool: await store.get('NodePool', { namespace: 'default', name: pool }), machines: await store.list('Machine'), installation: store.installationId };
    } finally {
      await store.close();
    }
  }

  it('polyfleet run -f examples/multicloud (endpoints at the test servers) runs the pool on all three clouds, and delete --wait empties them', async () => {
    const cwd = join(dir, 'run');
    const manifests = writeMulticloudCopy(clouds(), 'env', join(cwd, 'multicloud'));
    expect(readFileSync(join(manifests, 'strategy.yaml'), 'utf8')).not.toContain(clouds().clouds.aws.credentials.secretAccessKey);
    const run = polyfleet(cwd, ['run', '-f', manifests, '--port', '0']);
    const state = join(cwd, '.polyfleet/state.jsonl');
    const readyLine = new RegExp(`${MULTICLOUD_POOL}: 6/6 running · \\$[\\d.]+/h · Ready`);

    const settled = await eventually(
      async () => {
        if (run.child.exitCode !== null) throw new Error(`polyfleet run exited ${run.child.exitCode}\n${run.stderr()}`);
        try {
          return await stateOf(state, MULTICLOUD_POOL);
        } catch {
          return { pool: undefined, machines: [] };
        }
      },
      // The Ready line follows the last Machine's Running by one status write: wait for both.
      (v) => v.machines.length === 6 && v.machines.every((m) => m.status?.phase === 'Running') && readyLine.test(run.stdout()),
      'polyfleet run to bring 6 Machines to Running and print the pool Ready',
      DEADLINE_MS,
    );
    const perCloud = Object.fromEntries(CLOUD_TYPES.map((t) => [t, settled.machines.filter((m) => m.spec.providerType === t).length]));
    expect(perCloud).toEqual({ aws: 2, gcp: 2, digitalocean: 2 });
    expect(censusCounts(await cloudCensus(clouds()))).toEqual({ aws: 2, gcp: 2, digitalocean: 2 });
    expect(run.stdout()).toMatch(readyLine);

    const deleted = await polyfleetToEnd(cwd, ['delete', 'nodepool', MULTICLOUD_POOL, '--wait', '--timeout', '3m']);
    expect(deleted).toMatchObject({ code: 0, stdout: `nodepool.polyfleet.io "${MULTICLOUD_POOL}" deleted\n` });
    expect(censusCounts(await cloudCensus(clouds()))).toEqual({ aws: 0, gcp: 0, digitalocean: 0 });
    run.child.kill('SIGTERM');
    // With what it said: a stop that fails says why on stderr, which the diff then shows.
    const exitCode = await run.exited;
    expect({ exitCode, stderr: run.stderr() }).toEqual({ exitCode: 0, stderr: run.stderr() });
  }, DEADLINE_MS + 60_000);

  it('polyfleet create -s <aws strategy> -n 3 leaves exactly 3 tagged instances on moto; polyfleet delete --wait terminates them', async () => {
    const cwd = join(dir, 'create');
    mkdirSync(cwd);
    const strategyFile = writeAwsStrategy(clouds(), join(dir, 'aws-strategy.yaml'));
    const created = await polyfleetToEnd(cwd, ['create', '-s', strategyFile, '-n', '3', '--timeout', '3m']);
    expect(created).toMatchObject({ code: 0 });

    const aws = clouds().clouds.aws;
    const regions = ['us-east-1', 'us-west-2'];
    const { machines, installation } = await stateOf(join(cwd, '.polyfleet/state.jsonl'), 'aws-cheapest');
    // This state file's instances: the run above is another installation on the same account.
    const instances = (await aws.liveInstances(regions)).filter((i) => i.tags['polyfleet.io/managed-by'] === installation);
    expect(instances.map((i) => i.state)).toEqual(['running', 'running', 'running']);
    expect(instances.map((i) => i.tags['polyfleet.io/machine']).sort()).toEqual(machines.map((m) => m.metadata.uid).sort());
    // The state file's own identity, made with it: another installation on the same account never lists these.
    expect(installation).toMatch(/^pf-[0-9a-f]{12}$/);
    for (const i of instances) expect(i.tags).toMatchObject({ 'polyfleet.io/managed-by': installation, 'polyfleet.io/pool': 'aws-cheapest' });

    // create left no controller behind; deleting needs one to run the finalizers, as the help says.
    const run = polyfleet(cwd, ['run', '--port', '0']);
    // Once it owns the state file (it says so by naming its controllers): a delete --wait started
    // before would run the finalizers itself, and the run would find the file owned and exit 1.
    await eventually(
      () => {
        if (run.child.exitCode !== null) throw new Error(`polyfleet run exited ${run.child.exitCode}\n${run.stderr()}`);
        return Promise.resolve(run.stdout());
      },
      (out) => out.includes('controllers: '),
      'polyfleet run to own the state file',
      DEADLINE_MS,
    );
    const deleted = await polyfleetToEnd(cwd, ['delete', 'nodepool', 'aws-cheapest', '--wait', '--timeout', '3m']);
    expect(deleted).toMatchObject({ code: 0 });
    expect((await aws.liveInstances(regions)).filter((i) => i.tags['polyfleet.io/managed-by'] === installation)).toEqual([]);
    run.child.kill('SIGTERM');
    // With what it said: a stop that fails says why on stderr, which the diff then shows.
    const exitCode = await run.exited;
    expect({ exitCode, stderr: run.stderr() }).toEqual({ exitCode: 0, stderr: run.stderr() });
  }, DEADLINE_MS + 60_000);
});

/** examples/aws's Strategy alone, pointed at moto, credentials as ${env.…} references. */
function writeAwsStrategy(endpoints: CloudEndpoints, file: string): string {
  const docs = parseAllDocuments(readFileSync(join(repoRoot, 'examples/aws/pool.yaml'), 'utf8')).map((d) => d.toJS() as { kind?: string; spec?: { providers?: ProviderAccount[] } });
  const strategy = docs.find((d) => d.kind === 'Strategy');
  if (strategy?.spec?.providers === undefined) throw new Error('examples/aws/pool.yaml holds no Strategy');
  strategy.spec.providers = strategy.spec.providers.map((a) => endpoints.pointAt(a, 'env'));
  writeFileSync(file, stringify(strategy));
  return file;
}
