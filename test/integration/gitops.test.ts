// GitOps stays quiet, on the real API server: every example applied as Argo CD applies it — with
// kubectl's client-side apply (Argo CD's default), or created by server-side apply under Argo CD's
// field manager (its ServerSideApply=true) — then `polyfleet controller` reconciles it (status,
// finalizers, Machines), and then:
//   - `kubectl diff` of every example is empty: polyfleet rewrote nothing Git holds;
//   - a server-side apply by argocd-controller never conflicts with polyfleet's writes, before or
//     after them, keeps polyfleet's finalizer, and changes no generation;
//   - polyfleet owns no field of a spec (managedFields), only status and its finalizer;
//   - after Git changes a pool (argocd-controller applies it) polyfleet's next writes neither
//     conflict nor touch it, and the pool follows.
// The cloud examples are applied without their credentials Secrets: their accounts cannot be
// read, so polyfleet writes the status that says so and calls no cloud.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseAllDocuments, stringify } from 'yaml';
import { startPolyfleet, type BackgroundPolyfleet } from '../../cli/testing/cli-process.js';
import { helm } from '../helm/helm.js';
import { applyCrds, createNamespace, eventually, loadKubeConfig } from './cluster.js';
import { kubectl, kubectlOk, repoRoot, validExampleDirs } from './kubectl.js';

const ARGOCD = 'argocd-controller';
const dirs = validExampleDirs();

interface ManagedField { manager: string; operation: string; subresource?: string; fieldsV1?: Record<string, unknown> }
interface Obj {
  kind: string;
  metadata: { name: string; generation: number; finalizers?: string[]; managedFields?: ManagedField[] };
  spec: { replicas?: number };
  status?: { observedGeneration?: number; readyReplicas?: number; desiredReplicas?: number; conditions?: { type: string; status: string }[] };
}

/** The objects the examples declare, as `kind/name`. */
function declared(): string[] {
  return dirs.flatMap((d) =>
    readdirSync(join(repoRoot, d))
      .filter((f) => f.endsWith('.yaml'))
      .flatMap((f) => parseAllDocuments(readFileSync(join(repoRoot, d, f), 'utf8')).map((doc) => doc.toJS() as { kind: string; metadata: { name: string } }))
      .map((o) => `${o.kind}/${o.metadata.name}`),
  ).sort();
}

/** The pools that run on the sim provider (every other pool's accounts are unreadable here). */
const SIM_POOLS = ['workers', 'web', 'batch'];

describe.each([
  ['client-side apply (Argo CD\'s default)', 'client'],
  ['server-side apply by argocd-controller (Argo CD\'s ServerSideApply=true)', 'server'],
] as const)('GitOps stays quiet: examples created by %s', (_how, how) => {
  let namespace: string;
  let dir: string;
  let controller: BackgroundPolyfleet | undefined;

  const ssa = (args: string[]): Promise<{ code: number; stdout: string; stderr: string }> =>
    kubectl(['apply', '--server-side', '--field-manager', ARGOCD, '-n', namespace, ...args]);

  async function objects(): Promise<Obj[]> {
    const list = JSON.parse(await kubectlOk(['get', 'nodepools,strategies,placementrules,hostgroups', '-n', namespace, '--show-managed-fields', '-o', 'json'])) as { items: Obj[] };
    return list.items;
  }

  /** Every object reconciled at its generation, every pool finalized, every sim pool Ready at its size. */
  async function settled(): Promise<Obj[]> {
    return eventually(
      objects,
      (all) =>
        all.length === declared().length &&
        all.every((o) => o.status?.observedGeneration === o.metadata.generation) &&
        all.filter((o) => o.kind === 'NodePool').every((o) => o.metadata.finalizers?.includes('polyfleet.io/nodepool') === true) &&
        all
          .filter((o) => o.kind === 'NodePool' && SIM_POOLS.includes(o.metadata.name))
          .every((o) => o.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') === true && o.status.readyReplicas === o.status.desiredReplicas),
      'every example reconciled, its pools finalized and the sim pools Ready',
      180_000,
    );
  }

  async function diffsAreEmpty(): Promise<void> {
    for (const d of dirs) {
      // What a user runs, and what Argo CD's server-side diff computes.
      const modes = how === 'client' ? [[], ['--server-side', '--field-manager', ARGOCD]] : [['--server-side', '--field-manager', ARGOCD]];
      for (const mode of modes) {
        const diff = await kubectl(['diff', ...mode, '-n', namespace, '-f', d]);
        expect({ dir: d, mode: mode.join(' '), code: diff.code, diff: diff.stdout, stderr: diff.stderr }).toEqual({ dir: d, mode: mode.join(' '), code: 0, diff: '', stderr: '' });
      }
    }
  }

  async function serverSideApplyAll(): Promise<void> {
    for (const d of dirs) {
      const applied = await ssa(['-f', d]);
      expect({ dir: d, code: applied.code, stderr: applied.stderr }).toEqual({ dir: d, code: 0, stderr: '' });
    }
  }

  beforeAll(async () => {
    await applyCrds();
    namespace = await createNamespace(loadKubeConfig(), `gitops-${how}`);
    dir = mkdtempSync(join(tmpdir(), 'polyfleet-gitops-'));
  }, 120_000);

  afterAll(async () => {
    controller?.child.kill('SIGTERM');
    await controller?.exited;
    rmSync(dir, { recursive: true, force: true });
  });

  it('applies every example, and a server-side apply by argocd-controller does not conflict before polyfleet runs', async () => {
    expect(dirs).toEqual(expect.arrayContaining(['examples/quickstart', 'examples/aws', 'examples/gcp', 'examples/digitalocean', 'examples/multicloud', 'examples/gitops']));
    if (how === 'client') for (const d of dirs) await kubectlOk(['apply', '-n', namespace, '-f', d]);
    await serverSideApplyAll();
    expect((await objects()).map((o) => `${o.kind}/${o.metadata.name}`).sort()).toEqual(declared());
  }, 120_000);

  it('after polyfleet wrote status, finalizers and Machines, kubectl diff of every example is empty', async () => {
    controller = startPolyfleet(dir, ['controller', '--namespace', namespace, '--no-leader-elect', '--port', '0', '--sim-dir', join(dir, 'sim'), '--log-level', 'warn']);
    await settled();
    await diffsAreEmpty();
  }, 300_000);

  it('polyfleet owns no field of any spec: only status, and its finalizer', async () => {
    for (const o of await objects()) {
      const ours = (o.metadata.managedFields ?? []).filter((f) => f.manager === 'polyfleet');
      // It did write: the status of each, and each pool's finalizer.
      expect({ object: `${o.kind}/${o.metadata.name}`, writes: ours.map((f) => f.subresource ?? 'main').sort() })
        .toEqual({ object: `${o.kind}/${o.metadata.name}`, writes: o.kind === 'NodePool' ? ['main', 'status'] : ['status'] });
      for (const f of ours) {
        const owned = f.subresource === 'status' ? Object.keys(f.fieldsV1 ?? {}) : JSON.stringify(f.fieldsV1);
        const expected = f.subresource === 'status' ? ['f:status'] : JSON.stringify({ 'f:metadata': { 'f:finalizers': { '.': {}, 'v:"polyfleet.io/nodepool"': {} } } });
        expect({ object: `${o.kind}/${o.metadata.name}`, subresource: f.subresource, owned }).toEqual({ object: `${o.kind}/${o.metadata.name}`, subresource: f.subresource, owned: expected });
      }
      // Whoever applied the spec still owns all of it.
      const appliers = (o.metadata.managedFields ?? []).filter((f) => f.manager !== 'polyfleet' && f.subresource !== 'status');
      expect(appliers.map((f) => Object.keys(f.fieldsV1 ?? {})).some((keys) => keys.includes('f:spec'))).toBe(true);
    }
  }, 60_000);

  it('a server-side apply by argocd-controller after polyfleet\'s writes does not conflict, keeps the finalizer and changes no generation', async () => {
    const before = await objects();
    await serverSideApplyAll();
    const after = await objects();
    for (const o of after) {
      const was = before.find((b) => b.kind === o.kind && b.metadata.name === o.metadata.name);
      expect({ object: `${o.kind}/${o.metadata.name}`, generation: o.metadata.generation, finalizers: o.metadata.finalizers })
        .toEqual({ object: `${o.kind}/${o.metadata.name}`, generation: was?.metadata.generation, finalizers: was?.metadata.finalizers });
    }
    await diffsAreEmpty();
  }, 120_000);

  it('after Git scales a pool (argocd-controller applies it), polyfleet\'s writes do not conflict and the pool follows; Git back, quiet again', async () => {
    // How Argo CD marks what it tracks (its label or its annotation): a pool's Machines must carry
    // neither, or Argo CD would count them as its own and prune them, not being in Git.
    await kubectlOk(['label', '-n', namespace, 'nodepool/web', 'app.kubernetes.io/instance=polyfleet-pools']);
    await kubectlOk(['annotate', '-n', namespace, 'nodepool/web', `argocd.argoproj.io/tracking-id=polyfleet-pools:polyfleet.io/NodePool:${namespace}/web`]);
    const pools = readFileSync(join(repoRoot, 'examples/gitops/pools.yaml'), 'utf8');
    const scaled = join(dir, 'pools.yaml');
    const docs = parseAllDocuments(pools).map((d) => d.toJS() as { metadata: { name: string }; spec: { replicas: number } });
    writeFileSync(scaled, docs.map((d) => stringify(d.metadata.name === 'web' ? { ...d, spec: { ...d.spec, replicas: 5 } } : d)).join('---\n'));
    const applied = await ssa(['-f', scaled]);
    expect({ code: applied.code, stderr: applied.stderr }).toEqual({ code: 0, stderr: '' });
    const web = async (): Promise<Obj> => JSON.parse(await kubectlOk(['get', 'nodepool', 'web', '-n', namespace, '--show-managed-fields', '-o', 'json'])) as Obj;
    await eventually(web, (p) => p.status?.observedGeneration === p.metadata.generation && p.status.readyReplicas === 6 && p.status.desiredReplicas === 6, 'web to run 6 Machines', 120_000);
    const machines = JSON.parse(await kubectlOk(['get', 'machines', '-n', namespace, '-l', 'polyfleet.io/pool=web', '-o', 'json'])) as { items: { metadata: { labels?: Record<string, string>; annotations?: Record<string, string> } }[] };
    expect(machines.items).toHaveLength(6);
    for (const m of machines.items) {
      expect(Object.keys(m.metadata.labels ?? {}).filter((k) => k.startsWith('app.kubernetes.io/'))).toEqual([]);
      expect(Object.keys(m.metadata.annotations ?? {}).filter((k) => k.startsWith('argocd.argoproj.io/'))).toEqual([]);
    }
    // polyfleet wrote status and Machines meanwhile: applying Git again still does not conflict.
    const again = await ssa(['--dry-run=server', '-f', scaled]);
    expect({ code: again.code, stderr: again.stderr }).toEqual({ code: 0, stderr: '' });
    expect((await web()).spec.replicas).toBe(5);
    // And kubectl diff does see a change Git has not made yet.
    const drift = await kubectl(['diff', '-n', namespace, ...(how === 'client' ? [] : ['--server-side', '--field-manager', ARGOCD]), '-f', 'examples/gitops/pools.yaml']);
    expect({ code: drift.code, replicas: /^-\s+replicas: 5$/m.test(drift.stdout) && /^\+\s+replicas: 3$/m.test(drift.stdout) }).toEqual({ code: 1, replicas: true });

    await serverSideApplyAll();
    await settled();
    await diffsAreEmpty();
  }, 300_000);
});

interface Application {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; annotations?: Record<string, string> };
  spec: {
    source: { repoURL: string; path: string; directory?: { recurse?: boolean }; helm?: { releaseName?: string; valuesObject?: Record<string, unknown> } };
    destination: { namespace: string };
    syncPolicy?: { syncOptions?: string[] };
    ignoreDifferences?: unknown;
  };
}

const GITOPS = join(repoRoot, 'examples/gitops');
const readApplication = (file: string): Application => parseAllDocuments(readFileSync(join(GITOPS, 'argocd', file), 'utf8'))[0]?.toJS() as Application;
const root = readApplication('root.yaml');
const apps = readdirSync(join(GITOPS, 'argocd/apps')).filter((f) => f.endsWith('.yaml')).sort().map((f) => readApplication(join('apps', f)));
const wave = (a: Application): number => Number(a.metadata.annotations?.['argocd.argoproj.io/sync-wave'] ?? '0');

describe('examples/gitops/argocd: the Applications', () => {
  const chartApp = apps.find((a) => a.spec.source.path === 'charts/polyfleet');
  const poolsApp = apps.find((a) => a.spec.source.path === 'examples/gitops');

  it('are Argo CD Applications in argocd, none with ignoreDifferences', () => {
    for (const a of [root, ...apps]) {
      expect({ name: a.metadata.name, apiVersion: a.apiVersion, kind: a.kind, namespace: a.metadata.namespace }).toEqual({ name: a.metadata.name, apiVersion: 'argoproj.io/v1alpha1', kind: 'Application', namespace: 'argocd' });
      expect(JSON.stringify(a)).not.toContain('ignoreDifferences');
    }
  });

  it('the root syncs one Application for the chart, then one for the directory of pools: CRDs before the resources that need them', () => {
    expect(root.spec.source.path).toBe('examples/gitops/argocd/apps');
    expect(apps.map((a) => a.spec.source.path).sort()).toEqual(['charts/polyfleet', 'examples/gitops']);
    expect(wave(chartApp!)).toBeLessThan(wave(poolsApp!));
    for (const a of [root, ...apps]) expect(statSync(join(repoRoot, a.spec.source.path)).isDirectory()).toBe(true);
  });

  it('the pools Application takes the top of examples/gitops: polyfleet objects only, not the Applications beside them', () => {
    expect(poolsApp?.spec.source.directory?.recurse ?? false).toBe(false);
    const kinds = readdirSync(GITOPS).filter((f) => /\.ya?ml$|\.json$/.test(f))
      .flatMap((f) => parseAllDocuments(readFileSync(join(GITOPS, f), 'utf8')).map((d) => (d.toJS() as { apiVersion: string; kind: string })))
      .map((o) => `${o.apiVersion} ${o.kind}`);
    expect([...new Set(kinds)].sort()).toEqual(['polyfleet.io/v1alpha1 NodePool', 'polyfleet.io/v1alpha1 PlacementRule', 'polyfleet.io/v1alpha1 Strategy']);
  });

  it('the chart as the polyfleet Application renders it: the CRDs, the same every time, accepted by the API server, and kubectl diff empty once applied', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'polyfleet-gitops-chart-'));
    try {
      const namespace = await createNamespace(loadKubeConfig(), 'gitops-chart');
      const values = join(dir, 'values.yaml');
      writeFileSync(values, stringify(chartApp?.spec.source.helm?.valuesObject ?? {}));
      // A release name of its own: the chart's cluster-scoped objects are named after it.
      const release = namespace.replace('gitops-chart', 'pf-gitops');
      const render = async (): Promise<string> => {
        const r = await helm(['template', release, join(repoRoot, 'charts/polyfleet'), '--namespace', namespace, '--include-crds', '-f', values]);
        expect({ code: r.code, stderr: r.stderr }).toEqual({ code: 0, stderr: '' });
        return r.stdout;
      };
      const rendered = await render();
      expect(await render()).toBe(rendered);
      const objects = parseAllDocuments(rendered).map((d) => d.toJS() as { kind: string; metadata: { name: string } } | null).filter((o) => o !== null);
      expect(objects.filter((o) => o.kind === 'CustomResourceDefinition').map((o) => o.metadata.name).sort()).toEqual(['hostgroups.polyfleet.io', 'machines.polyfleet.io', 'nodepools.polyfleet.io', 'placementrules.polyfleet.io', 'strategies.polyfleet.io']);
      // The CRDs are the ones every suite installs (applyCrds); the rest is applied here.
      const rest = join(dir, 'chart.yaml');
      writeFileSync(rest, objects.filter((o) => o.kind !== 'CustomResourceDefinition').map((o) => stringify(o)).join('---\n'));
      // Each object names its namespace (the release's, and kube-system for the Role that reads its UID).
      await kubectlOk(['apply', '-f', rest]);
      const diff = await kubectl(['diff', '-f', rest]);
      expect({ code: diff.code, diff: diff.stdout, stderr: diff.stderr }).toEqual({ code: 0, diff: '', stderr: '' });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 600_000);
});
