// HostGroups on the real API server: the CRD takes them (selectors, children, free-form vars), the
// HostGroup controller writes hosts and conditions the CRD accepts — InvalidSpec naming a cycle,
// ReferenceNotFound naming what is missing — and writes nothing more once settled; and the
// inventory read through the kubeconfig (`polyfleet inventory --kubeconfig`, and
// bin/polyfleet-ansible-inventory with KUBECONFIG) is what Ansible reports and resolves.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import type { Condition, HostGroup, Machine, Resource } from '../../api/index.js';
import { runPolyfleet } from '../../cli/testing/cli-process.js';
import { hostGroupController, reconcileHostGroup } from '../../controllers/hostgroup/index.js';
import { createProviderResolver, noCredentials, OfferingBackoff, type ControllerDeps } from '../../controllers/shared/index.js';
import { conflictTable, hostGroup } from '../../inventory/fixture.js';
import { systemClock } from '../../runtime/clock.js';
import { Manager } from '../../runtime/manager/index.js';
import { KubeStore } from '../../runtime/store/kube/index.js';
import { ansibleBin, ansibleInventoryList, normalizedList } from '../tools/ansible.js';
import { applyCrds, createNamespace, eventually, loadKubeConfig } from './cluster.js';
import { kubectlOk, repoRoot } from './kubectl.js';

const kubeConfig = loadKubeConfig();
const logger = pino({ level: 'warn' });
/** Must appear in no output: the value of a Secret that has not opted in. */
const CANARY = 'canary-opaque-secret-value';
const condition = (list: readonly Condition[] | undefined, type: string) => list?.find((c) => c.type === type);
type Json = Record<string, unknown>;

describe('HostGroups and the inventory on the real API server', () => {
  const dir = mkdtempSync(join(tmpdir(), 'polyfleet-inventory-kube-'));
  const store = new KubeStore({ kubeConfig, logger });
  const deps: ControllerDeps = {
    store,
    clock: systemClock,
    managedBy: 'polyfleet-inventory-it',
    backoff: new OfferingBackoff(systemClock),
    recorder: { record() {} },
    providers: createProviderResolver(noCredentials, { simDir: join(dir, 'sim') }),
  };
  const table = conflictTable();
  const hosts = table.machines.map((m) => m.metadata.name);
  let namespace = '';
  let manager: Manager;
  const kubeconfigPath = process.env.KUBECONFIG ?? '';

  const inNamespace = <T extends Resource>(o: T): T => ({ ...o, metadata: { ...o.metadata, namespace } });
  const group = (name: string) => store.get('HostGroup', { namespace, name });
  const polyfleet = (args: readonly string[]): string => {
    const r = runPolyfleet(dir, [...args, '--kubeconfig', kubeconfigPath, '-n', namespace]);
    if (r.status !== 0) throw new Error(`polyfleet ${args.join(' ')} exited ${r.status}:\n${r.stderr}`);
    return r.stdout;
  };

  beforeAll(async () => {
    ansibleBin();
    await applyCrds();
    namespace = await createNamespace(kubeConfig, 'inventory');
    for (const m of table.machines) {
      const { status, ...withoutStatus } = inNamespace<Machine>(m);
      const created = await store.create(withoutStatus);
      if (status !== undefined) await store.updateStatus({ ...created, status });
    }
    await kubectlOk(['create', 'configmap', 'web-vars', '-n', namespace, '--from-literal=vars.yaml=v_from: configmap\nv_cm_only: 1\n']);
    await kubectlOk(['create', 'secret', 'generic', 'web-secret-vars', '-n', namespace, '--type=polyfleet.io/credentials', '--from-literal=vars.yaml=v_from: secret\n']);
    await kubectlOk(['create', 'secret', 'generic', 'opaque-vars', '-n', namespace, `--from-literal=vars.yaml=v_canary: ${CANARY}\n`]);
    const extra = [
      hostGroup('cycle-a', { children: ['cycle-b'] }),
      hostGroup('cycle-b', { children: ['cycle-a'] }),
      hostGroup('dangling', { children: ['ghost'], hosts: ['h1', 'gone'] }),
      hostGroup('from-elsewhere', {
        hosts: ['h2'],
        varsFrom: [
          { configMapKeyRef: { name: 'web-vars', key: 'vars.yaml' } },
          { secretKeyRef: { name: 'web-secret-vars', key: 'vars.yaml' } },
          { secretKeyRef: { name: 'opaque-vars', key: 'vars.yaml' } },
          { configMapKeyRef: { name: 'no-such-config-map', key: 'vars.yaml' } },
        ],
        vars: { v_inline: 'vars' },
      }),
    ];
    for (const g of [...table.hostGroups, ...extra]) await store.create(inNamespace<HostGroup>(g));
    manager = new Manager({ store, log: logger, namespace, shutdownGraceMs: 5_000 });
    manager.register(hostGroupController(deps));
    await manager.start();
  }, 90_000);

  afterAll(async () => {
    await manager.stop();
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('reports the hosts each HostGroup matched, its subgroups\' included, and is Ready', async () => {
    const web = await eventually(() => group('web'), (g) => g?.status?.hostCount === 2, 'HostGroup web to match h1 and h2');
    expect(web?.status?.hosts).toEqual(['h1', 'h2']);
    expect(condition(web?.status?.conditions, 'Ready')).toMatchObject({ status: 'True', reason: 'HostsMatched', observedGeneration: 1 });
    const dbs = await eventually(() => group('dbs'), (g) => g?.status?.hostCount !== undefined, 'HostGroup dbs to report');
    expect(dbs?.status?.hosts).toEqual(hosts.filter((h) => h !== 'h1' && h !== 'h2').sort());
  }, 60_000);

  it('says InvalidSpec for a cycle in children and ReferenceNotFound for a missing child or Machine, naming them', async () => {
    const a = await eventually(() => group('cycle-a'), (g) => g?.status?.conditions !== undefined, 'HostGroup cycle-a to report');
    expect(condition(a?.status?.conditions, 'InvalidSpec')).toMatchObject({ status: 'True', reason: 'ChildrenCycle', message: 'children form a cycle: cycle-a → cycle-b → cycle-a; those subgroups are left out' });
    const d = await eventually(() => group('dangling'), (g) => g?.status?.conditions !== undefined, 'HostGroup dangling to report');
    expect(condition(d?.status?.conditions, 'ReferenceNotFound')).toMatchObject({ status: 'True', message: 'not found: HostGroup "ghost", Machine "gone"' });
    expect(condition(d?.status?.conditions, 'Ready')).toMatchObject({ status: 'False', reason: 'ReferenceNotFound' });
  }, 60_000);

  it('writes no status once settled: a reconcile of what the API server gave back changes nothing', async () => {
    const before = await eventually(() => group('web'), (g) => g?.status !== undefined, 'HostGroup web to report');
    await reconcileHostGroup(deps, { log: logger, signal: new AbortController().signal, reconcileId: 'it' }, { namespace, name: 'web' });
    expect((await group('web'))?.metadata.resourceVersion).toBe(before?.metadata.resourceVersion);
  }, 30_000);

  it('gives Ansible, through the kubeconfig, what `polyfleet inventory --list` emitted, resolved as our blame says', async () => {
    const ours = JSON.parse(polyfleet(['inventory', '--list'])) as Json;
    expect(ours).toMatchObject({ web: { children: ['edge'] }, [`tenant_${namespace.replaceAll('-', '_')}`]: { hosts: [...hosts].sort() } });
    const env = { KUBECONFIG: kubeconfigPath, POLYFLEET_NAMESPACE: namespace, PATH: process.env.PATH ?? '' };
    const script = join(repoRoot, 'bin', 'polyfleet-ansible-inventory');
    expect(normalizedList(await ansibleInventoryList(script, dir, { export: true, env }))).toEqual(normalizedList(ours));
    const hostvars = ((await ansibleInventoryList(script, dir, { export: false, env }))._meta as { hostvars: Record<string, Json> }).hostvars;
    for (const h of hosts) {
      const resolved = JSON.parse(polyfleet(['inventory', 'vars', h, '-o', 'json'])) as Json;
      expect({ host: h, vars: hostvars[h] }).toEqual({ host: h, vars: resolved });
    }
    const blame = JSON.parse(polyfleet(['inventory', 'vars', 'h1', '--blame', '-o', 'json'])) as { name: string; value: unknown; source: Json }[];
    expect(blame.find((b) => b.name === 'v_child')).toMatchObject({ value: 'edge', source: { group: 'edge' } });
  }, 120_000);

  it('reads varsFrom from a ConfigMap and an opted-in Secret (later entries win, vars over them), names what it could not use, and never shows the rest', () => {
    const r = runPolyfleet(dir, ['inventory', 'vars', 'h2', '--blame', '--kubeconfig', kubeconfigPath, '-n', namespace]);
    expect(r.status).toBe(0);
    const row = (name: string) => r.stdout.split('\n').find((l) => l.startsWith(`${name} `))?.replace(/\s{3,}/g, ' | ');
    expect(row('v_from')).toBe('v_from | "secret" | group from_elsewhere (HostGroup from-elsewhere) | -');
    expect(row('v_cm_only')).toBe('v_cm_only | 1 | group from_elsewhere (HostGroup from-elsewhere) | -');
    expect(row('v_inline')).toBe('v_inline | "vars" | group from_elsewhere (HostGroup from-elsewhere) | -');
    expect(r.stderr).toContain('HostGroup "from-elsewhere" varsFrom[2]: Secret "opaque-vars" key "vars.yaml" not used: the Secret is of type Opaque, not polyfleet.io/credentials');
    expect(r.stderr).toContain('HostGroup "from-elsewhere" varsFrom[3]: ConfigMap "no-such-config-map" key "vars.yaml" not found');
    const list = runPolyfleet(dir, ['inventory', '--list', '--kubeconfig', kubeconfigPath, '-n', namespace]);
    for (const out of [r.stdout, r.stderr, list.stdout, list.stderr]) expect(out).not.toContain(CANARY);
  }, 60_000);
});
