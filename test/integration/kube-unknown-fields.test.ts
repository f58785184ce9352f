// A rollback on a real kube-apiserver: the Machine CRD is newer than this polyfleet (one more spec
// field, status field and condition field, and status.instanceId widened to int-or-string). The kube
// store must read Machines that carry the new fields, keep those fields through its own update and
// updateStatus, and list in `unreadable` (never silently drop) a Machine whose field has a type it
// cannot read, until that Machine is fixed or deleted. Its own API server: the CRD change must not
// reach the other suites.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { CustomObjectsApi, PatchStrategy, setHeaderOptions, type KubeConfig } from '@kubernetes/client-node';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { buildCrd, CRD_KINDS, type JsonSchema } from '../../api/crd/index.js';
import { GROUP, VERSION, type Machine } from '../../api/index.js';
import { buildDeps, registerControllers } from '../../controllers/setup.js';
import { SimProvider } from '../../providers/sim/index.js';
import { Manager } from '../../runtime/manager/index.js';
import { KubeStore } from '../../runtime/store/kube/index.js';
import { testMachine, testNodePool, testStrategy } from '../../runtime/testing/objects.js';
import { startEnvtest, type Envtest } from '../envtest/harness.js';
import { applyCrds, createNamespace, eventually, loadKubeConfig } from './cluster.js';
import { kubectlOk } from './kubectl.js';

type Json = Record<string, unknown>;

/** The Machine CRD as a newer polyfleet would ship it. */
function newerMachineCrd(): JsonSchema {
  const kind = CRD_KINDS.find((k) => k.kind === 'Machine');
  if (kind === undefined) throw new Error('no Machine CRD kind');
  const crd = buildCrd(kind) as { spec: { versions: { schema: { openAPIV3Schema: { properties: Record<string, { properties: Record<string, Json> }> } } }[] } };
  const root = crd.spec.versions[0]!.schema.openAPIV3Schema.properties;
  root.spec!.properties.futureSpec = { type: 'string' };
  const status = root.status!.properties;
  status.lastRequestId = { type: 'string' };
  status.instanceId = { 'x-kubernetes-int-or-string': true };
  const conditions = status.conditions as { items: { properties: Json } };
  conditions.items.properties.detail = { type: 'string' };
  return crd;
}

const condition = (type: string, message: string) => ({ type, status: 'True', lastTransitionTime: '2025-01-01T00:00:00Z', reason: 'Fine', message });

describe('the kube store on a CRD newer than its schema', () => {
  let envtest: Envtest;
  let kubeConfig: KubeConfig;
  let api: CustomObjectsApi;
  let store: KubeStore;
  let namespace: string;

  const collection = () => ({ group: GROUP, version: VERSION, namespace, plural: 'machines' });
  const path = (name: string) => ({ ...collection(), name });
  const raw = async (name: string): Promise<Json & { metadata: Json; spec: Json; status: Json }> =>
    (await api.getNamespacedCustomObject(path(name))) as Json & { metadata: Json; spec: Json; status: Json };
  const mergeStatus = (name: string, status: Json): Promise<unknown> =>
    api.patchNamespacedCustomObjectStatus({ ...path(name), body: { status } }, setHeaderOptions('Content-Type', PatchStrategy.MergePatch));

  /** A Machine written the way a newer polyfleet would, straight to the API server. */
  async function writeNewer(name: string, status: Json): Promise<void> {
    const pool = { ...testNodePool(namespace, 'workers', 'cheap'), metadata: { name: 'workers', namespace, uid: 'pool-uid' } };
    const machine = testMachine(pool, name) as Json & { spec: Json };
    await api.createNamespacedCustomObject({ ...collection(), body: { ...machine, spec: { ...machine.spec, futureSpec: 'from-v2' } } });
    await mergeStatus(name, status);
  }

  beforeAll(async () => {
    envtest = await startEnvtest();
    // Every CRD of this version, then the Machine CRD of a newer one over it.
    await applyCrds(envtest.kubeconfigPath);
    const dir = mkdtempSync(join(tmpdir(), 'polyfleet-crd-'));
    writeFileSync(join(dir, 'machines.json'), JSON.stringify(newerMachineCrd()));
    await kubectlOk(['--kubeconfig', envtest.kubeconfigPath, 'apply', '-f', join(dir, 'machines.json')]);
    await kubectlOk(['--kubeconfig', envtest.kubeconfigPath, 'wait', '--for=condition=Established', '--timeout=60s', `crd/machines.${GROUP}`]);
    kubeConfig = loadKubeConfig(envtest.kubeconfigPath);
    api = kubeConfig.makeApiClient(CustomObjectsApi);
    namespace = await createNamespace(kubeConfig, 'newer');
  }, 120_000);

  afterAll(async () => {
    await store.close();
    await envtest.stop();
  });

  it('reads Machines with fields it does not know, keeps them through its writes, and tracks the ones it cannot read', async () => {
    // Before the store starts (its first list) and after (its watch).
    await writeNewer('listed', {
      phase: 'Running',
      instanceId: 'i-1',
      lastRequestId: 'req-1',
      conditions: [{ ...condition('Launched', 'created'), detail: 'launch detail' }, { ...condition('Ready', 'running'), detail: 'ready detail' }],
    });
    await writeNewer('wrong-type-listed', { phase: 'Running', instanceId: 4242 });
    store = new KubeStore({ kubeConfig, logger: pino({ level: 'error' }) });
    const names = async (): Promise<string[]> => (await store.list('Machine', { namespace })).map((m) => m.metadata.name).sort();
    expect(await names()).toEqual(['listed']);
    expect(store.unreadable('Machine', namespace)).toEqual([
      { namespace, name: 'wrong-type-listed', uid: (await raw('wrong-type-listed')).metadata.uid, problem: expect.stringContaining('status.instanceId') },
    ]);
    expect(store.unreadable('Machine', 'elsewhere')).toEqual([]);
    await writeNewer('watched', { phase: 'Pending', lastRequestId: 'req-2' });
    await writeNewer('wrong-type-watched', { instanceId: 7 });
    await eventually(names, (n) => n.join() === 'listed,watched', 'the watched Machine');
    await eventually(() => store.unreadable('Machine', namespace).map((u) => u.name).sort(), (n) => n.join() === 'wrong-type-listed,wrong-type-watched', 'both unreadable');

    // updateStatus keeps the unknown status fields, and the unknown field of the condition it left alone.
    const listed = (await store.get('Machine', { namespace, name: 'listed' })) as Machine & { kind: 'Machine' };
    expect(listed.status).not.toHaveProperty('lastRequestId');
    const [launched, ready] = listed.status?.conditions ?? [];
    const statusWritten = await store.updateStatus({
      ...listed,
      status: { ...listed.status, phase: 'Failed', failureReason: 'InstanceGone', conditions: [launched!, { ...ready!, status: 'False', message: 'gone' }] },
    });
    let server = await raw('listed');
    expect(server.status).toMatchObject({ phase: 'Failed', failureReason: 'InstanceGone', lastRequestId: 'req-1', instanceId: 'i-1' });
    expect(server.status.conditions).toEqual([{ ...condition('Launched', 'created'), detail: 'launch detail' }, { ...condition('Ready', 'running'), status: 'False', message: 'gone' }]);
    expect(server.spec.futureSpec).toBe('from-v2');

    // update keeps the unknown spec field (and, by the API server's rules, the status).
    await store.update({ ...statusWritten, kind: 'Machine', metadata: { ...statusWritten.metadata, labels: { touched: 'yes' } } });
    server = await raw('listed');
    expect(server.spec.futureSpec).toBe('from-v2');
    expect((server.metadata.labels as Json).touched).toBe('yes');
    expect(server.status.lastRequestId).toBe('req-1');

    // Fixed, a Machine is readable again; deleted, it is no longer unreadable.
    await mergeStatus('wrong-type-listed', { instanceId: 'i-fixed' });
    await eventually(() => store.unreadable('Machine', namespace).map((u) => u.name), (n) => n.join() === 'wrong-type-watched', 'the fixed Machine to be readable');
    expect((await store.get('Machine', { namespace, name: 'wrong-type-listed' }))?.status?.instanceId).toBe('i-fixed');
    await api.deleteNamespacedCustomObject(path('wrong-type-watched'));
    await eventually(() => store.unreadable('Machine', namespace), (u) => u.length === 0, 'the deleted Machine to be gone from unreadable');

    // A readable Machine that turns unreadable leaves the cache and shows up in unreadable.
    await mergeStatus('watched', { instanceId: 99 });
    await eventually(names, (n) => n.join() === 'listed,wrong-type-listed', 'the Machine that turned unreadable to leave the list');
    expect(store.unreadable('Machine', namespace).map((u) => u.name)).toEqual(['watched']);
  }, 120_000);

  it('after a rollback, the controllers reconcile a Machine with a newer status field as usual, and never collect an instance while a Machine cannot be read', async () => {
    const ns = await createNamespace(kubeConfig, 'rollback');
    const simDir = mkdtempSync(join(tmpdir(), 'polyfleet-rollback-sim-'));
    const log = pino({ level: 'error' });
    const controllersStore = new KubeStore({ kubeConfig, logger: log });
    const manager = new Manager({ store: controllersStore, log, namespace: ns });
    const deps = buildDeps({ store: controllersStore, eventSink: { write: () => Promise.resolve(), list: () => Promise.resolve([]) }, log, simDir, managedBy: 'pf-rollback' });
    registerControllers(manager, deps, { leakGraceMs: 1_000 });
    const sim = new SimProvider({ account: 'sim-a', dir: simDir });
    try {
      await controllersStore.create(testStrategy(ns, 'cheap'));
      await controllersStore.create({ ...testNodePool(ns, 'workers', 'cheap'), spec: { ...testNodePool(ns, 'workers', 'cheap').spec, replicas: 2 } });
      await manager.start();
      const machines = () => controllersStore.list('Machine', { namespace: ns });
      const running = await eventually(machines, (ms) => ms.length === 2 && ms.every((m) => m.status?.phase === 'Running'), 'two Machines Running', 60_000);
      const [newer, other] = running;
      if (newer === undefined || other === undefined) throw new Error('no Machines');
      // A newer polyfleet (before the rollback) wrote a status field this version does not know.
      await api.patchNamespacedCustomObjectStatus(
        { group: GROUP, version: VERSION, namespace: ns, plural: 'machines', name: newer.metadata.name, body: { status: { lastRequestId: 'from-v2' } } },
        setHeaderOptions('Content-Type', PatchStrategy.MergePatch),
      );
      // An orphan of this installation old enough to collect, which only a Machine that cannot be read could claim.
      const unreadableUid = 'uid-of-a-machine-this-version-cannot-read';
      const orphan = await sim.create({ machineUid: unreadableUid, attempt: 1, managedBy: 'pf-rollback', pool: 'workers', namespace: ns, region: 'na-east', zone: 'na-east-a', instanceType: 'sim.micro', image: 'sim-img-ubuntu-24.04-na-east' });
      await writeNewerIn(ns, 'cannot-read', { phase: 'Running', instanceId: 4242 });
      await eventually(() => controllersStore.unreadable('Machine', ns).length, (n) => n === 1, 'the wrong-typed Machine to be unreadable');
      // Several sweeps of a 1 s grace: nothing is collected while a Machine cannot be read.
      await new Promise((resolve) => setTimeout(resolve, 5_000));
      expect((await sim.get(orphan.id))?.state).toBe('running');
      const after = await machines();
      expect(after.map((m) => [m.metadata.uid, m.status?.phase]).sort()).toEqual([newer, other].map((m) => [m.metadata.uid, 'Running']).sort());
      expect(((await api.getNamespacedCustomObject({ group: GROUP, version: VERSION, namespace: ns, plural: 'machines', name: newer.metadata.name })) as { status: Json }).status.lastRequestId).toBe('from-v2');
      expect((await sim.list({ managedBy: 'pf-rollback' })).map((i) => i.state).sort()).toEqual(['running', 'running', 'running']);
      // Once it is gone, the orphan is a leak like any other. (The Machine controller may have put its
      // finalizer on before the Machine became unreadable; it cannot take it off an object it cannot
      // read, so the operator does, as the rollback's clean-up.)
      await api.patchNamespacedCustomObject(
        { group: GROUP, version: VERSION, namespace: ns, plural: 'machines', name: 'cannot-read', body: { metadata: { finalizers: null } } },
        setHeaderOptions('Content-Type', PatchStrategy.MergePatch),
      );
      await api.deleteNamespacedCustomObject({ group: GROUP, version: VERSION, namespace: ns, plural: 'machines', name: 'cannot-read' });
      await eventually(async () => (await sim.get(orphan.id))?.state, (state) => state === 'terminating' || state === 'terminated', 'the orphan to be collected', 30_000);
    } finally {
      await manager.stop();
      await controllersStore.close();
    }

    async function writeNewerIn(inNamespace: string, name: string, status: Json): Promise<void> {
      const pool = { ...testNodePool(inNamespace, 'elsewhere', 'cheap'), metadata: { name: 'elsewhere', namespace: inNamespace, uid: 'pool-uid' } };
      const machine = testMachine(pool, name) as Json & { spec: Json };
      await api.createNamespacedCustomObject({ group: GROUP, version: VERSION, namespace: inNamespace, plural: 'machines', body: machine });
      await api.patchNamespacedCustomObjectStatus(
        { group: GROUP, version: VERSION, namespace: inNamespace, plural: 'machines', name, body: { status } },
        setHeaderOptions('Content-Type', PatchStrategy.MergePatch),
      );
    }
  }, 180_000);
});
