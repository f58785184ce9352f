// Spot capacity over the wire, as a user runs it: `polyfleet run` on a state file with two pools
// allowed `capacityTypes: [spot, on-demand]` — one on EC2 (moto), one on Compute Engine (the fake) —
// each running on spot where it is cheaper, as each cloud's own API reports; then Compute Engine
// runs out of Spot capacity and preempts one of the pool's Spot VMs: the pool replaces it on
// on-demand within its budget, and polyfleet_spot_interruptions_total counts the preemption.
// (moto never interrupts a spot instance, so EC2's reclaim is tested on its documented shape in
// providers/aws/instances.test.ts.)
import { describe, expect, it } from '@jest/globals';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { stringify } from 'yaml';
import type { Machine, NodePool } from '../../api/index.js';
import type { BackgroundPolyfleet } from '../../cli/testing/cli-process.js';
import type { FileStore } from '../../runtime/store/file/index.js';
import type { CloudEndpoints, CloudType } from '../fakes/cloud-endpoints.js';
import { COMPUTE_SERVICE_ID, computeCatalog, FAKE_RATES } from '../fakes/gcp-billing/index.js';
import { eventually } from './cluster.js';
import { standaloneClouds } from './fixtures/standalone-clouds.js';

const DEADLINE_MS = 180_000;
const HARDWARE = { minCPU: 2, maxCPU: 2, minMemoryGiB: 8, maxMemoryGiB: 8, arch: ['amd64'] };
/** Room for both GCE nodes on demand (2 × 0.067006), not for a third. */
const GCE_BUDGET = '0.16';

interface Seen {
  readonly pools: Record<string, NodePool | undefined>;
  readonly machines: Machine[];
}

describe('a pool allowed spot capacity, on EC2 and Compute Engine', () => {
  const world = standaloneClouds('spot-standalone');
  const clouds = (): CloudEndpoints => world.clouds();
  let run: BackgroundPolyfleet | undefined;

  function writeManifests(): string {
    const manifests = join(world.dir(), 'manifests');
    mkdirSync(manifests, { recursive: true });
    const doc = (kind: string, name: string, spec: Record<string, unknown>): string => stringify({ apiVersion: 'polyfleet.io/v1alpha1', kind, metadata: { name }, spec });
    const strategy = (name: string, type: CloudType, account: string, region: string, extra: Record<string, unknown> = {}): string =>
      doc('Strategy', name, { pick: 'cheapest', capacityTypes: ['spot', 'on-demand'], providers: [clouds().pointAt({ name: account, type, regions: [region] }, 'env')], hardware: HARDWARE, ...extra });
    writeFileSync(
      join(manifests, 'pools.yaml'),
      [
        strategy('ec2-spot', 'aws', 'aws-east', 'us-east-1'),
        doc('NodePool', 'ec2-workers', { replicas: 1, strategyRef: { name: 'ec2-spot' } }),
        strategy('gce-spot', 'gcp', 'gcp-main', 'us-central1', { budget: { maxHourlyTotal: GCE_BUDGET } }),
        doc('NodePool', 'gce-workers', { replicas: 2, strategyRef: { name: 'gce-spot' } }),
      ].join('---\n'),
    );
    return manifests;
  }

  async function seen(): Promise<Seen> {
    if (run?.child.exitCode !== null && run?.child.exitCode !== undefined) throw new Error(`polyfleet run exited ${run.child.exitCode}\n${run.stderr()}`);
    const pool = (store: FileStore, name: string) => store.get('NodePool', { namespace: 'default', name });
    return world.state<Seen>(async (store) => ({ pools: { ec2: await pool(store, 'ec2-workers'), gce: await pool(store, 'gce-workers') }, machines: await store.list('Machine') }), { pools: {}, machines: [] });
  }

  const runningOn = (s: Seen, provider: string) => s.machines.filter((m) => m.spec.provider === provider && m.status?.phase === 'Running');
  const capacity = (ms: readonly Machine[]) => ms.map((m) => m.spec.capacityType ?? 'on-demand').sort();

  async function interruptions(): Promise<string[]> {
    const url = /serving (http:\/\/127\.0\.0\.1:\d+)\/metrics/.exec(run?.stdout() ?? '')?.[1];
    if (url === undefined) throw new Error(`polyfleet run did not say where it serves /metrics:\n${run?.stdout() ?? ''}`);
    const text = await (await fetch(`${url}/metrics`)).text();
    return text.split('\n').filter((l) => l.startsWith('polyfleet_spot_interruptions_total{'));
  }

  it('runs on spot where it is cheaper; a preempted Spot VM with no Spot capacity left is replaced on demand within the budget, and counted', async () => {
    // Only e2 is priced: the pool's one spot type (e2-standard-2 in four zones) is 2 × 0.006543 + 8 × 0.000877.
    clouds().gcpBilling.setSkus(COMPUTE_SERVICE_ID, computeCatalog(FAKE_RATES.filter((r) => r.name === 'e2')));
    run = world.start(['run', '-f', writeManifests(), '--port', '0']);

    // The pool's status follows its Machines' (a reconcile later): wait for it to count both Running spot VMs' prices.
    const onSpot = await eventually(
      seen,
      (s) => runningOn(s, 'aws-east').length === 1 && runningOn(s, 'gcp-main').length === 2 && s.pools.gce?.status?.spotReplicas === 2 && s.pools.gce.status.hourlyCost === '0.040204',
      'both pools to run on spot, the GCE pool costing its two Running spot VMs (0.040204)',
      DEADLINE_MS,
    );
    expect(capacity(runningOn(onSpot, 'aws-east'))).toEqual(['spot']);
    expect(capacity(runningOn(onSpot, 'gcp-main'))).toEqual(['spot', 'spot']);
    expect(runningOn(onSpot, 'gcp-main').map((m) => m.status?.hourlyPrice)).toEqual(['0.020102', '0.020102']);
    expect(onSpot.pools.gce?.status).toMatchObject({ hourlyCost: '0.040204', spotHourlyCost: '0.040204' });
    // As each cloud's own API says: EC2 InstanceLifecycle spot, Compute Engine provisioningModel SPOT.
    expect((await clouds().clouds.aws.liveInstances(['us-east-1'])).map((i) => i.spot)).toEqual([true]);
    expect((await clouds().clouds.gcp.liveInstances(['us-central1'])).map((i) => i.spot)).toEqual([true, true]);
    expect(await interruptions()).toEqual([]);

    clouds().gce.setSpotCapacity(false);
    const [victim, survivor] = runningOn(onSpot, 'gcp-main');
    expect(clouds().gce.preempt(victim?.status?.instanceId ?? '')).toBe(true);

    const replaced = await eventually(
      seen,
      (s) => runningOn(s, 'gcp-main').length === 2 && capacity(runningOn(s, 'gcp-main')).join() === 'on-demand,spot' && s.pools.gce?.status?.hourlyCost === '0.087108',
      'the preempted node to be replaced on demand',
      DEADLINE_MS,
    );
    expect(runningOn(replaced, 'gcp-main').map((m) => m.metadata.name)).toContain(survivor?.metadata.name);
    expect(runningOn(replaced, 'gcp-main').map((m) => m.metadata.name)).not.toContain(victim?.metadata.name);
    // 0.020102 + 0.067006, within maxHourlyTotal.
    expect(replaced.pools.gce?.status).toMatchObject({ hourlyCost: '0.087108', spotReplicas: 1, spotHourlyCost: '0.020102' });
    expect(replaced.pools.gce?.status?.conditions?.find((c) => c.type === 'BudgetExceeded')).toMatchObject({ status: 'False' });
    expect((await clouds().clouds.gcp.liveInstances(['us-central1'])).map((i) => i.spot).sort()).toEqual([false, true]);
    expect(await interruptions()).toEqual(['polyfleet_spot_interruptions_total{provider="gcp",account="gcp-main",region="us-central1",instance_type="e2-standard-2"} 1']);

    for (const pool of ['ec2-workers', 'gce-workers']) expect(await world.toEnd(['delete', 'nodepool', pool, '--wait', '--timeout', '3m'])).toMatchObject({ code: 0 });
    expect((await clouds().clouds.aws.liveInstances(['us-east-1'])).length + (await clouds().clouds.gcp.liveInstances(['us-central1'])).length).toBe(0);
    run.child.kill('SIGTERM');
    const exitCode = await run.exited;
    expect({ exitCode, stderr: run.stderr() }).toEqual({ exitCode: 0, stderr: run.stderr() });
  }, 4 * DEADLINE_MS);
});
