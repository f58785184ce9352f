// The Machine controller and the leak collector over an adapter and its cloud's wire protocol (moto,
// the fakes): what happens to an instance stopped behind polyfleet's back. Run by each adapter's
// contract test with the harness its Provider contract uses.
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { API_VERSION, FINALIZER_MACHINE, Reason, type Machine } from '../../api/index.js';
import { leakCollector } from '../../controllers/gc/index.js';
import { reconcileMachine } from '../../controllers/machine/controller.js';
import { OfferingBackoff, type ControllerDeps } from '../../controllers/shared/index.js';
import type { ProviderFixture, ProviderHarness } from '../../providers/contract.js';
import type { Instance, Provider } from '../../providers/index.js';
import { systemClock } from '../../runtime/clock.js';
import type { ReconcileContext } from '../../runtime/controller/index.js';
import { openFileStore, type FileStore } from '../../runtime/store/file/index.js';

const NS = 'default';
const MANAGED_BY = 'pf-contract-safety';
const log = pino({ level: 'silent' });
const ctx: ReconcileContext = { log, signal: new AbortController().signal, reconcileId: 'contract' };

/** Where the Machine goes: the smallest offering of the adapter's first region, with its ubuntu image. */
async function placement(provider: Provider) {
  const [region] = await provider.regions();
  if (region === undefined) throw new Error(`${provider.account}: no region`);
  const [smallest] = [...(await provider.offerings(region.name))].sort((a, b) => a.cpu - b.cpu || a.memoryGiB - b.memoryGiB);
  const image = await provider.image(region.name, 'ubuntu-24.04');
  if (smallest === undefined || image === undefined) throw new Error(`${provider.account}: no offering or image in ${region.name}`);
  const zone = smallest.zones[0] ?? '';
  return { region: region.name, zone, instanceType: smallest.instanceType, image, failureDomain: `${provider.account}/${region.name}/${zone}` };
}

/** Not terminated and not unknown: what still exists (and bills) of this Machine's. */
async function remaining(provider: Provider, machineUid: string, region: string): Promise<Instance[]> {
  return (await provider.list({ managedBy: MANAGED_BY, machineUid, region })).filter((i) => i.state !== 'terminated');
}

async function until<T>(what: string, read: () => Promise<T>, done: (value: T) => boolean, ms = 90_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await read();
    if (done(value)) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; last saw ${JSON.stringify(value)}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

export function describeControllerSafety(adapter: string, harness: ProviderHarness): void {
  describe(`controllers over ${adapter}: stopped instances`, () => {
    let fx: ProviderFixture;
    let store: FileStore;
    let dir: string;
    let deps: ControllerDeps;

    beforeEach(async () => {
      fx = await harness.open();
      dir = mkdtempSync(join(tmpdir(), 'polyfleet-contract-safety-'));
      store = await openFileStore({ path: join(dir, 'state.jsonl'), logger: log, pollIntervalMs: 0 });
      deps = {
        store,
        clock: systemClock,
        managedBy: MANAGED_BY,
        backoff: new OfferingBackoff(systemClock),
        recorder: { record: () => undefined },
        providers: { forAccount: () => Promise.resolve(fx.provider) },
      };
    });
    afterEach(async () => {
      await store.close();
      await fx.close();
      rmSync(dir, { recursive: true, force: true });
    });

    async function runningMachine(): Promise<Machine> {
      const p = fx.provider;
      const where = await placement(p);
      const account = { name: p.account, type: p.type as 'aws' | 'gcp' | 'digitalocean' };
      await store.create({ apiVersion: API_VERSION, kind: 'Strategy', metadata: { name: 'cheap', namespace: NS }, spec: { pick: 'first', providers: [account], hardware: { minCPU: 1, minMemoryGiB: 0, minDiskGiB: 0 }, software: { os: 'ubuntu-24.04' } } });
      await store.create({
        apiVersion: API_VERSION,
        kind: 'NodePool',
        metadata: { name: 'workers', namespace: NS },
        spec: { replicas: 1, redundancy: '1:1', strategyRef: { name: 'cheap' }, template: {}, disruption: { maxUnavailable: 1 }, readyTimeoutSeconds: 900, remediation: { maxUnhealthy: '40%', windowSeconds: 600 }, dryRun: false, paused: false },
      });
      const created = await store.create({
        apiVersion: API_VERSION,
        kind: 'Machine',
        metadata: { name: 'm1', namespace: NS, finalizers: [FINALIZER_MACHINE] },
        spec: { pool: 'workers', provider: account.name, providerType: account.type, slot: 0, providerAccount: account, ...where },
      });
      return until('the Machine Running', async () => {
        await reconcileMachine(deps, ctx, { namespace: NS, name: 'm1' });
        return (await store.get('Machine', { namespace: NS, name: 'm1' })) ?? created;
      }, (m) => m.status?.phase === 'Running');
    }

    it('an instance stopped behind its back fails the Machine; deleting the Machine leaves nothing in the cloud', async () => {
      const machine = await runningMachine();
      const id = machine.status?.instanceId ?? '';
      await fx.stop(id);
      const failed = await until('the Machine Failed', async () => {
        await reconcileMachine(deps, ctx, { namespace: NS, name: 'm1' });
        return store.get('Machine', { namespace: NS, name: 'm1' });
      }, (m) => m?.status?.phase === 'Failed');
      expect(failed?.status?.failureReason).toBe(Reason.InstanceStopped);
      expect((await remaining(fx.provider, machine.metadata.uid ?? '', machine.spec.region)).map((i) => i.state)).toEqual([expect.stringMatching(/^(stopping|stopped)$/)]);

      await store.delete('Machine', { namespace: NS, name: 'm1' });
      await until('the Machine gone', async () => {
        await reconcileMachine(deps, ctx, { namespace: NS, name: 'm1' });
        return store.get('Machine', { namespace: NS, name: 'm1' });
      }, (m) => m === undefined);
      expect(await remaining(fx.provider, machine.metadata.uid ?? '', machine.spec.region)).toEqual([]);
    }, 180_000);

    it('a stopped instance no Machine claims is collected as a leak', async () => {
      const p = fx.provider;
      const where = await placement(p);
      await store.create({ apiVersion: API_VERSION, kind: 'Strategy', metadata: { name: 'cheap', namespace: NS }, spec: { pick: 'first', providers: [{ name: p.account, type: p.type as 'aws' | 'gcp' | 'digitalocean' }], hardware: { minCPU: 1, minMemoryGiB: 0, minDiskGiB: 0 }, software: { os: 'ubuntu-24.04' } } });
      const uid = `gone-${Date.now().toString()}`;
      const leak = await p.create({ machineUid: uid, attempt: 1, managedBy: MANAGED_BY, pool: 'workers', namespace: NS, region: where.region, zone: where.zone, instanceType: where.instanceType, image: where.image });
      // A cloud takes a power action only once the instance is up (DigitalOcean: "pending event").
      await until('the leak running', () => p.get(leak.id, where.region), (i) => i?.state === 'running');
      await fx.stop(leak.id);
      await until('the leak stopped', () => p.get(leak.id, where.region), (i) => i?.state === 'stopped');
      const collector = leakCollector(deps, { graceMs: 0 });
      await collector.reconcile(ctx, { namespace: NS, name: 'cheap' });
      await until('the stopped leak deleted', () => remaining(p, uid, where.region), (left) => left.every((i) => i.state === 'terminating'));
    }, 180_000);
  });
}
