// The charts with a real helm (v4, built from its Go module by test/tools/helm.sh) and a real API
// server of their own (the CRD chart's install must not meet the CRDs other suites apply with
// kubectl): lint --strict; template with the default values and every charts/polyfleet/ci/*.yaml;
// every rendered object accepted by the API server (kubectl apply --dry-run=server); install,
// upgrade (into the namespace-scoped mode, and of polyfleet-crd with a new field a NodePool then
// uses) and uninstall; bad values refused with their messages; the README's values table current.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { startEnvtest, type Envtest } from '../envtest/harness.js';
import { CHART, CRD_CHART, ensureHelm, helm, helmOk, parseObjects, renderChart, type KubeObject } from '../helm/helm.js';
import { wildcardRules } from '../helm/rbac.js';
import { generatedReadme } from '../helm/values-table.js';
import { eventually } from './cluster.js';
import { kubectl, kubectlOk, repoRoot } from './kubectl.js';

const CI_VALUES = readdirSync(join(CHART, 'ci')).filter((f) => f.endsWith('.yaml')).sort();
const NAMESPACE = 'polyfleet';
/** Namespaces the ci values name. */
const CI_NAMESPACES = ['team-a', 'team-b'];

type Deployment = KubeObject & {
  spec: {
    replicas: number;
    template: {
      spec: {
        securityContext: Record<string, unknown>;
        priorityClassName?: string;
        topologySpreadConstraints?: { topologyKey: string; labelSelector?: unknown }[];
        containers: {
          args: string[];
          env: { name: string; valueFrom?: { fieldRef?: { fieldPath: string } } }[];
          ports: { name: string; containerPort: number }[];
          livenessProbe: { httpGet: { path: string; port: string } };
          readinessProbe: { httpGet: { path: string; port: string } };
          securityContext: Record<string, unknown>;
          resources: { requests?: Record<string, string>; limits?: Record<string, string> };
        }[];
      };
    };
  };
};

const kinds = (objects: readonly KubeObject[]): string[] => objects.map((o) => `${o.kind}/${o.metadata.name}`).sort();
const deploymentOf = (objects: readonly KubeObject[]): Deployment => {
  const d = objects.find((o) => o.kind === 'Deployment');
  if (d === undefined) throw new Error('no Deployment rendered');
  return d as Deployment;
};

describe('charts/polyfleet and charts/polyfleet-crd with helm', () => {
  let envtest: Envtest;
  let dir: string;
  const k = (args: readonly string[]): Promise<string> => kubectlOk(['--kubeconfig', envtest.kubeconfigPath, ...args]);
  const kTry = (args: readonly string[]) => kubectl(['--kubeconfig', envtest.kubeconfigPath, ...args]);
  const h = (args: readonly string[]): Promise<string> => helmOk(args, { kubeconfig: envtest.kubeconfigPath });

  beforeAll(async () => {
    ensureHelm();
    envtest = await startEnvtest();
    dir = mkdtempSync(join(tmpdir(), 'polyfleet-helm-'));
    for (const ns of [NAMESPACE, ...CI_NAMESPACES]) await k(['create', 'namespace', ns]);
  }, 20 * 60_000);

  afterAll(async () => {
    await envtest.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  describe('lint and template', () => {
    it.each([
      { chart: 'charts/polyfleet', values: '' },
      ...CI_VALUES.map((f) => ({ chart: 'charts/polyfleet', values: `ci/${f}` })),
      { chart: 'charts/polyfleet-crd', values: '' },
    ])('helm lint --strict $chart $values', async ({ chart, values }) => {
      const r = await helm(['lint', '--strict', join(repoRoot, chart), ...(values === '' ? [] : ['--values', join(repoRoot, chart, values)])]);
      expect(r.stderr + r.stdout).toContain('1 chart(s) linted, 0 chart(s) failed');
      expect(r.stdout).not.toMatch(/\[(WARNING|ERROR)\]/);
      expect(r.code).toBe(0);
    });

    it('default values: 2 leader-electing replicas, probes on the metrics port, a hardened pod, least-privilege RBAC, nothing optional', async () => {
      const objects = await renderChart({ namespace: NAMESPACE });
      expect(kinds(objects)).toEqual([
        'ClusterRole/polyfleet-admin',
        'ClusterRole/polyfleet-controller',
        'ClusterRole/polyfleet-edit',
        'ClusterRole/polyfleet-view',
        'ClusterRoleBinding/polyfleet-controller',
        'Deployment/polyfleet',
        'PodDisruptionBudget/polyfleet',
        'Role/polyfleet-cluster-identity',
        'Role/polyfleet-leader-election',
        'RoleBinding/polyfleet-cluster-identity',
        'RoleBinding/polyfleet-leader-election',
        'Service/polyfleet-metrics',
        'ServiceAccount/polyfleet',
      ]);
      const deployment = deploymentOf(objects);
      expect(deployment.spec.replicas).toBe(2);
      const pod = deployment.spec.template.spec;
      const [container] = pod.containers;
      expect(container?.args).toEqual(['controller', '--leader-elect', '--port=8080', '--bind-address=0.0.0.0', '--log-level=info']);
      expect(container?.env).toContainEqual({ name: 'POD_NAMESPACE', valueFrom: { fieldRef: { fieldPath: 'metadata.namespace' } } });
      expect(container?.ports).toEqual([{ name: 'metrics', containerPort: 8080, protocol: 'TCP' }]);
      expect(container?.livenessProbe.httpGet).toEqual({ path: '/healthz', port: 'metrics' });
      expect(container?.readinessProbe.httpGet).toEqual({ path: '/readyz', port: 'metrics' });
      expect(container?.securityContext).toEqual({
        runAsNonRoot: true,
        readOnlyRootFilesystem: true,
        allowPrivilegeEscalation: false,
        capabilities: { drop: ['ALL'] },
        seccompProfile: { type: 'RuntimeDefault' },
      });
      expect(pod.securityContext).toMatchObject({ runAsNonRoot: true, runAsUser: 65532, seccompProfile: { type: 'RuntimeDefault' } });
      expect(container?.resources.requests).toEqual({ cpu: '100m', memory: '256Mi' });
      expect(pod.topologySpreadConstraints).toEqual([
        { maxSkew: 1, topologyKey: 'kubernetes.io/hostname', whenUnsatisfiable: 'ScheduleAnyway', labelSelector: { matchLabels: { 'app.kubernetes.io/name': 'polyfleet', 'app.kubernetes.io/instance': 'polyfleet', 'app.kubernetes.io/component': 'controller' } } },
      ]);
      expect(wildcardRules(objects)).toEqual([]);
      const lease = objects.find((o) => o.kind === 'Role' && o.metadata.name === 'polyfleet-leader-election') as (KubeObject & { rules: unknown[] }) | undefined;
      expect(lease?.metadata.namespace).toBe(NAMESPACE);
      expect(lease?.rules).toEqual([
        { apiGroups: ['coordination.k8s.io'], resources: ['leases'], verbs: ['create'] },
        { apiGroups: ['coordination.k8s.io'], resources: ['leases'], resourceNames: ['polyfleet-controller'], verbs: ['get', 'update'] },
      ]);
      const identity = objects.find((o) => o.kind === 'Role' && o.metadata.name === 'polyfleet-cluster-identity') as (KubeObject & { rules: unknown[] }) | undefined;
      expect(identity?.metadata.namespace).toBe('kube-system');
      expect(identity?.rules).toEqual([{ apiGroups: [''], resources: ['namespaces'], resourceNames: ['kube-system'], verbs: ['get'] }]);
      for (const [role, label] of [['polyfleet-view', 'aggregate-to-view'], ['polyfleet-edit', 'aggregate-to-edit'], ['polyfleet-admin', 'aggregate-to-admin']] as const) {
        expect(objects.find((o) => o.metadata.name === role)?.metadata.labels?.[`rbac.authorization.k8s.io/${label}`]).toBe('true');
      }
    });

    it('ci/everything-values.yaml: every optional object and value lands where it belongs', async () => {
      const objects = await renderChart({ namespace: NAMESPACE, values: [join(CHART, 'ci/everything-values.yaml')] });
      expect(kinds(objects).filter((x) => /^(ServiceMonitor|PrometheusRule|NetworkPolicy)\//.test(x))).toEqual(['NetworkPolicy/polyfleet', 'PrometheusRule/polyfleet', 'ServiceMonitor/polyfleet']);
      const pod = deploymentOf(objects).spec.template.spec;
      expect(pod.containers[0]?.args).toEqual([
        'controller', '--leader-elect', '--leader-elect-lease-duration=10s', '--port=8080', '--bind-address=0.0.0.0', '--log-level=debug', '--leak-grace=15m', '--offering-backoff=2m', '--price-ttl=12h',
        '--allow-endpoint=ec2.internal.example', '--allow-endpoint=127.0.0.1:5000',
        '--inventory-addr=0.0.0.0:9443', '--inventory-tls-cert=/etc/polyfleet/inventory-tls/tls.crt', '--inventory-tls-key=/etc/polyfleet/inventory-tls/tls.key',
        '--sim-dir=/var/lib/polyfleet/sim',
      ]);
      expect(pod.priorityClassName).toBe('system-cluster-critical');
      expect(pod.topologySpreadConstraints?.map((c) => c.topologyKey)).toEqual(['topology.kubernetes.io/zone', 'kubernetes.io/hostname']);
      const monitor = objects.find((o) => o.kind === 'ServiceMonitor') as (KubeObject & { spec: { endpoints: Record<string, unknown>[] } }) | undefined;
      expect(monitor?.spec.endpoints).toEqual([{ port: 'metrics', path: '/metrics', honorLabels: true, interval: '15s', scrapeTimeout: '10s' }]);
      const rule = objects.find((o) => o.kind === 'PrometheusRule') as (KubeObject & { spec: { groups: { rules: { alert?: string }[] }[] } }) | undefined;
      expect(rule?.spec.groups.flatMap((g) => g.rules).length).toBeGreaterThan(0);
      expect(rule?.metadata.labels?.release).toBe('kube-prometheus-stack');
    });

    it('inventory.enabled: the API on its own port and Service, TLS from the Secret, auth-delegator for TokenReview and SubjectAccessReview', async () => {
      const objects = await renderChart({ namespace: NAMESPACE, values: [join(CHART, 'ci/everything-values.yaml')] });
      const pod = deploymentOf(objects).spec.template.spec as unknown as {
        containers: { ports: unknown[]; volumeMounts: unknown[] }[];
        volumes: unknown[];
      };
      expect(pod.containers[0]?.ports).toContainEqual({ name: 'inventory', containerPort: 9443, protocol: 'TCP' });
      expect(pod.containers[0]?.volumeMounts).toContainEqual({ name: 'inventory-tls', mountPath: '/etc/polyfleet/inventory-tls', readOnly: true });
      expect(pod.volumes).toContainEqual({ name: 'inventory-tls', secret: { secretName: 'polyfleet-inventory-tls' } });
      const service = objects.find((o) => o.kind === 'Service' && o.metadata.name === 'polyfleet-inventory') as (KubeObject & { spec: Record<string, unknown> }) | undefined;
      expect(service?.spec).toMatchObject({ type: 'LoadBalancer', sessionAffinity: 'ClientIP', ports: [{ name: 'https', port: 443, targetPort: 'inventory', protocol: 'TCP' }] });
      const delegator = objects.find((o) => o.kind === 'ClusterRoleBinding' && o.metadata.name === 'polyfleet-inventory-auth-delegator') as (KubeObject & { roleRef: { name: string } }) | undefined;
      expect(delegator?.roleRef.name).toBe('system:auth-delegator');
      const policy = objects.find((o) => o.kind === 'NetworkPolicy') as (KubeObject & { spec: { ingress: { ports: { port: string }[] }[] } }) | undefined;
      expect(policy?.spec.ingress.map((i) => i.ports[0]?.port)).toEqual(['metrics', 'inventory']);
      expect(kinds(await renderChart({ namespace: NAMESPACE })).filter((k) => k.includes('inventory'))).toEqual([]);
    });

    it('ci/namespaced-values.yaml: --namespace per watched namespace, Roles there and no ClusterRole at all', async () => {
      const objects = await renderChart({ namespace: NAMESPACE, values: [join(CHART, 'ci/namespaced-values.yaml')] });
      expect(objects.filter((o) => o.kind.startsWith('Cluster'))).toEqual([]);
      expect(kinds(objects).filter((x) => x.startsWith('Role'))).toEqual([
        'Role/polyfleet-controller', 'Role/polyfleet-controller', 'Role/polyfleet-leader-election',
        'RoleBinding/polyfleet-controller', 'RoleBinding/polyfleet-controller', 'RoleBinding/polyfleet-leader-election',
      ]);
      expect(objects.filter((o) => o.kind === 'Role' && o.metadata.name === 'polyfleet-controller').map((o) => o.metadata.namespace)).toEqual(CI_NAMESPACES);
      expect(deploymentOf(objects).spec.template.spec.containers[0]?.args).toEqual(expect.arrayContaining(['--namespace=team-a', '--namespace=team-b', '--cluster-name=ci-namespaced']));
    });

    it('the README values table is what `npm run gen:chart-docs` makes of values.yaml (run it if this fails)', () => {
      expect(readFileSync(join(CHART, 'README.md'), 'utf8')).toBe(generatedReadme());
    });
  });

  describe('the real API server', () => {
    beforeAll(async () => {
      // The Prometheus Operator's CRDs, for the ServiceMonitor and PrometheusRule of the ci values.
      await k(['apply', '--server-side', '-f', join(repoRoot, 'test/helm/crds')]);
      await k(['wait', '--for=condition=Established', '--timeout=60s', 'crd/servicemonitors.monitoring.coreos.com', 'crd/prometheusrules.monitoring.coreos.com']);
    }, 120_000);

    it.each([
      { name: 'polyfleet-crd', chart: CRD_CHART, values: undefined },
      { name: 'default values', chart: CHART, values: undefined },
      ...CI_VALUES.map((f) => ({ name: `ci/${f}`, chart: CHART, values: join(CHART, 'ci', f) })),
    ])('accepts every object rendered with $name (kubectl apply --dry-run=server)', async ({ chart, values }) => {
      const objects = await renderChart({ chart, namespace: NAMESPACE, values: values === undefined ? [] : [values], extra: chart === CHART ? ['--include-crds'] : [] });
      const file = join(dir, `rendered-${Math.random().toString(16).slice(2)}.yaml`);
      writeFileSync(file, objects.map((o) => stringify(o)).join('---\n'));
      const out = await k(['apply', '--dry-run=server', '-f', file]);
      const accepted = out.split('\n').filter((l) => l.endsWith('(server dry run)'));
      expect(accepted.length).toBe(objects.length);
    }, 120_000);

    it('helm install: polyfleet-crd, then polyfleet --skip-crds; NOTES say what to do next', async () => {
      const crd = await h(['install', 'polyfleet-crd', CRD_CHART, '--namespace', NAMESPACE]);
      expect(crd).toContain('STATUS: deployed');
      await k(['wait', '--for=condition=Established', '--timeout=60s', ...['nodepools', 'strategies', 'placementrules', 'machines', 'hostgroups'].map((p) => `crd/${p}.polyfleet.io`)]);
      const main = await h(['install', 'polyfleet', CHART, '--namespace', NAMESPACE, '--skip-crds']);
      expect(main).toContain('STATUS: deployed');
      expect(main).toContain('Next: a Strategy');
      expect(await k(['get', 'deployment', '-n', NAMESPACE, 'polyfleet', '-o', 'jsonpath={.spec.replicas}'])).toBe('2');
      expect(await k(['get', 'clusterrole', 'polyfleet-controller', '-o', 'name'])).toBe('clusterrole.rbac.authorization.k8s.io/polyfleet-controller\n');
      expect((await k(['get', 'crd', 'nodepools.polyfleet.io', '-o', 'jsonpath={.metadata.labels.app\\.kubernetes\\.io/managed-by}']))).toBe('Helm');
    }, 120_000);

    it('helm upgrade into the namespace-scoped mode swaps the ClusterRole for Roles in the watched namespaces', async () => {
      const out = await h(['upgrade', 'polyfleet', CHART, '--namespace', NAMESPACE, '--skip-crds', '--set', 'watchNamespaces={team-a,team-b}', '--set', 'replicas=3']);
      expect(out).toContain('REVISION: 2');
      expect((await kTry(['get', 'clusterrole', 'polyfleet-controller'])).code).not.toBe(0);
      for (const ns of CI_NAMESPACES) expect(await k(['get', 'role', '-n', ns, 'polyfleet-controller', '-o', 'name'])).toBe('role.rbac.authorization.k8s.io/polyfleet-controller\n');
      const args = await k(['get', 'deployment', '-n', NAMESPACE, 'polyfleet', '-o', 'jsonpath={.spec.template.spec.containers[0].args}']);
      expect(JSON.parse(args)).toEqual(expect.arrayContaining(['--namespace=team-a', '--namespace=team-b']));
      expect(await k(['get', 'deployment', '-n', NAMESPACE, 'polyfleet', '-o', 'jsonpath={.spec.replicas}'])).toBe('3');
    }, 120_000);

    it('helm upgrade of polyfleet-crd brings a new CRD field, which a NodePool then keeps', async () => {
      const nodePool = join(dir, 'nodepool-cost-center.yaml');
      const quickstart = readFileSync(join(repoRoot, 'examples/quickstart/nodepool.yaml'), 'utf8');
      writeFileSync(nodePool, quickstart.replace('  replicas: 6\n', '  replicas: 6\n  costCenter: platform-42\n'));
      // Before: the API server does not know the field (kubectl's strict validation says so).
      const before = await kTry(['apply', '-n', 'team-a', '-f', nodePool]);
      expect(before.code).not.toBe(0);
      expect(before.stderr).toContain('unknown field "spec.costCenter"');

      const newer = join(dir, 'polyfleet-crd-newer');
      cpSync(CRD_CHART, newer, { recursive: true });
      const template = join(newer, 'templates/nodepools.polyfleet.io.yaml');
      writeFileSync(template, withSpecField(readFileSync(template, 'utf8'), 'costCenter', { type: 'string', description: 'Who pays for this pool.' }));
      writeFileSync(join(newer, 'Chart.yaml'), readFileSync(join(newer, 'Chart.yaml'), 'utf8').replace(/^version: .*$/m, 'version: 0.2.0'));
      const out = await h(['upgrade', 'polyfleet-crd', newer, '--namespace', NAMESPACE]);
      expect(out).toContain('REVISION: 2');

      await eventually(() => kTry(['apply', '-n', 'team-a', '-f', nodePool]), (r) => r.code === 0, 'the NodePool with costCenter to be accepted', 30_000);
      expect(await k(['get', 'nodepool', '-n', 'team-a', 'workers', '-o', 'jsonpath={.spec.costCenter}'])).toBe('platform-42');
    }, 120_000);

    it('helm uninstall removes the controllers and their RBAC; the CRDs (keep policy) and the pools stay', async () => {
      expect(await h(['uninstall', 'polyfleet', '--namespace', NAMESPACE])).toContain('release "polyfleet" uninstalled');
      for (const what of [['deployment', '-n', NAMESPACE, 'polyfleet'], ['serviceaccount', '-n', NAMESPACE, 'polyfleet'], ['role', '-n', 'team-a', 'polyfleet-controller'], ['clusterrole', 'polyfleet-view']]) {
        expect((await kTry(['get', ...what])).stderr).toContain('NotFound');
      }
      const out = await h(['uninstall', 'polyfleet-crd', '--namespace', NAMESPACE]);
      expect(out).toContain('release "polyfleet-crd" uninstalled');
      expect(await k(['get', 'crd', 'nodepools.polyfleet.io', '-o', 'name'])).toBe('customresourcedefinition.apiextensions.k8s.io/nodepools.polyfleet.io\n');
      expect(await k(['get', 'nodepool', '-n', 'team-a', 'workers', '-o', 'jsonpath={.spec.costCenter}'])).toBe('platform-42');
      expect((await h(['list', '--all-namespaces', '--short'])).trim()).toBe('');
    }, 120_000);

    it('the chart alone installs its crds/ on a cluster without them', async () => {
      const fresh = await startEnvtest();
      try {
        await kubectlOk(['--kubeconfig', fresh.kubeconfigPath, 'create', 'namespace', NAMESPACE]);
        const out = await helmOk(['install', 'polyfleet', CHART, '--namespace', NAMESPACE], { kubeconfig: fresh.kubeconfigPath });
        expect(out).toContain('STATUS: deployed');
        await applyCrdsEstablished(fresh.kubeconfigPath);
      } finally {
        await fresh.stop();
      }
    }, 120_000);
  });

  it.each([
    { set: 'replicas=0', message: "at '/replicas': minimum: got 0, want 1" },
    { set: 'replica=2', message: "at '': additional properties 'replica' not allowed" },
    { set: 'image.pullPolicy=Sometimes', message: "at '/image/pullPolicy': value must be one of 'Always', 'IfNotPresent', 'Never'" },
    { set: 'image.repository=', message: "at '/image/repository': minLength: got 0, want 1" },
    { set: 'clusterName=Prod_Cluster', message: "at '/clusterName': 'Prod_Cluster' does not match pattern" },
    { set: 'watchNamespaces={Team_A}', message: "at '/watchNamespaces/0': 'Team_A' does not match pattern" },
    { set: 'watchNamespaces={team-a,team-a}', message: "at '/watchNamespaces': items at 0 and 1 are equal" },
    { set: 'allowEndpoints={https://ec2.example.com}', message: "at '/allowEndpoints/0': 'https://ec2.example.com' does not match pattern" },
    { set: 'logLevel=chatty', message: "at '/logLevel': value must be one of 'fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'" },
    { set: 'metrics.port=70000', message: "at '/metrics/port': maximum: got 70,000, want 65,535" },
    { set: 'leakGrace=ten minutes', message: "at '/leakGrace': 'ten minutes' does not match pattern" },
    { set: 'leakGrace=10s', message: 'leakGrace must be at least 30s (a create in flight may look like a leak for that long), got "10s"' },
    { set: 'leaseDuration=1s', message: 'leaseDuration must be at least 2s, got "1s"' },
    { set: 'inventory.service.sessionAffinity=Cookie', message: "at '/inventory/service/sessionAffinity': value must be one of 'ClientIP', 'None'" },
    { set: 'offeringBackoff=0s', message: 'offeringBackoff must be at least 1s, got "0s"' },
    { set: 'offeringBackoff=1h', message: 'offeringBackoff must be at most 30m, got "1h"' },
    { set: 'priceTtl=200h', message: 'priceTtl must be at most 168h, got "200h"' },
    { set: 'priceTtl=6 hours', message: "at '/priceTtl': '6 hours' does not match pattern" },
    { set: 'serviceMonitor.enabled=yes', message: "at '/serviceMonitor/enabled': got string, want boolean" },
    { set: 'resources.cpu=1', message: "at '/resources': additional properties 'cpu' not allowed" },
    { set: 'podDisruptionBudget.maxUnavailable=0', message: "at '/podDisruptionBudget/maxUnavailable': 'oneOf' failed, none matched" },
    { set: 'topologySpreadConstraints[0].whenUnsatisfiable=Never', message: "at '/topologySpreadConstraints/0/whenUnsatisfiable': value must be one of 'DoNotSchedule', 'ScheduleAnyway'" },
    { set: 'serviceAccount.create=false', message: 'serviceAccount.name is required when serviceAccount.create is false' },
  ])('refuses --set $set: $message', async ({ set, message }) => {
    const r = await helm(['template', 'polyfleet', CHART, '--namespace', NAMESPACE, '--set', set]);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain(message);
  });
});

/** A CRD template with one more string property under the version's spec (text in, text out: the template is not YAML). */
function withSpecField(template: string, field: string, schema: { type: string; description: string }): string {
  const match = /\n( +)spec:\n\1 {2}type: object\n(?:\1 {2}description: .*\n)?\1 {2}properties:\n/.exec(template.slice(template.indexOf('openAPIV3Schema:')));
  if (match === null) throw new Error('no spec properties in the NodePool CRD template');
  const indent = `${match[1] ?? ''}    `;
  const at = template.indexOf('openAPIV3Schema:') + match.index + match[0].length;
  const added = `${indent}${field}:\n${indent}  type: ${schema.type}\n${indent}  description: ${schema.description}\n`;
  return template.slice(0, at) + added + template.slice(at);
}

/** The chart's crds/ were created by `helm install` (not by us): they are there and established. */
async function applyCrdsEstablished(kubeconfig: string): Promise<void> {
  const names = parseObjects(readdirSync(join(CHART, 'crds')).map((f) => readFileSync(join(CHART, 'crds', f), 'utf8')).join('\n---\n')).map((o) => `crd/${o.metadata.name}`);
  expect(names.length).toBe(5);
  await kubectlOk(['--kubeconfig', kubeconfig, 'wait', '--for=condition=Established', '--timeout=60s', ...names]);
}
