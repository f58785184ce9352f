// The chart's RBAC is exactly what the controllers use, proven by the real API server: each mode gets
// its own kube-apiserver with an audit log, the chart's ServiceAccount, Roles and bindings (helm
// template, applied as rendered), and `polyfleet controller` with the Deployment's own arguments,
// authenticated by a token of that ServiceAccount. The controllers go through the quickstart (create,
// scale, an instance killed, delete), a Strategy reading a credentials Secret, an Event repeated
// after the recorder's 2-minute window (so its series is patched), and leader election from the
// Lease's creation to its release. Then every (group, resource, subresource, verb) the audit log
// shows for the ServiceAccount must be granted, every grant must have been used, no request refused,
// no wildcard anywhere — in the default mode (a ClusterRole) and in the namespace-scoped one
// (watchNamespaces: Roles only, and nothing listed or watched outside those namespaces).
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { runPolyfleet, startPolyfleet, type BackgroundPolyfleet } from '../../cli/testing/cli-process.js';
import { startEnvtest, type Envtest } from '../envtest/harness.js';
import { writeKubeconfig } from '../envtest/kubeconfig.js';
import { freeLoopbackPorts } from '../envtest/ports.js';
import { ensureHelm, renderChart, type KubeObject } from '../helm/helm.js';
import { auditedRequests, compareRbac, grantsTo, wildcardRules, type AuditedRequest, type RbacComparison } from '../helm/rbac.js';
import { applyCrds, eventually } from './cluster.js';
import { kubectl, kubectlOk, repoRoot } from './kubectl.js';

const RELEASE_NAMESPACE = 'polyfleet-system';
/** The recorder drops a repeated Event within 2 minutes; a repeat after that patches the Event's series. */
const EVENT_REPEAT_AFTER_MS = 121_000;
const RBAC_KINDS = new Set(['ServiceAccount', 'Role', 'ClusterRole', 'RoleBinding', 'ClusterRoleBinding']);

interface Mode {
  readonly name: string;
  /** Extra `--set` values of the chart. */
  readonly set: readonly string[];
  /** Where the quickstart runs (the first) and which namespaces the controller serves (all of them). */
  readonly poolNamespaces: readonly string[];
  /** A namespace the controller must leave alone, if any. */
  readonly unwatched?: string;
}

interface AuditRun {
  readonly objects: KubeObject[];
  readonly serviceAccount: { namespace: string; name: string };
  readonly requests: AuditedRequest[];
  readonly comparison: RbacComparison;
  /** The status of the pool in the unwatched namespace when the run ended (undefined: none written). */
  readonly unwatchedStatus: unknown;
  /** Why the scenario did not finish, if it did not (a step timed out, say for a missing grant). */
  readonly scenarioError: unknown;
  /** The controller's exit code on SIGTERM. */
  readonly stopCode: number | null;
  readonly controllerStderr: string;
}

const MODES: Record<'cluster' | 'namespaced', Mode> = {
  cluster: { name: 'cluster-wide', set: [], poolNamespaces: ['pools'] },
  namespaced: { name: 'namespace-scoped', set: ['watchNamespaces={team-a,team-b}'], poolNamespaces: ['team-a', 'team-b'], unwatched: 'elsewhere' },
};

const envtests: Envtest[] = [];
const controllers: BackgroundPolyfleet[] = [];
const dirs: string[] = [];

/** A Strategy whose one sim account offers nothing (minCPU 1000) or plenty (minCPU 1). */
function flipStrategy(minCPU: number): string {
  return stringify({
    apiVersion: 'polyfleet.io/v1alpha1',
    kind: 'Strategy',
    metadata: { name: 'flip' },
    spec: { pick: 'cheapest', providers: [{ name: 'sim-a', type: 'sim' }], hardware: { minCPU }, software: { os: 'ubuntu-24.04' } },
  });
}

/** A Strategy whose AWS account has its credentials in a Secret and an allowed endpoint nothing listens on. */
function credentialsStrategy(port: number): string {
  return stringify({
    apiVersion: 'polyfleet.io/v1alpha1',
    kind: 'Strategy',
    metadata: { name: 'with-credentials' },
    spec: {
      pick: 'cheapest',
      providers: [{ name: 'aws-east', type: 'aws', regions: ['us-east-1'], credentialsSecretRef: { name: 'aws-creds' }, endpoint: `http://127.0.0.1:${port}` }],
      hardware: { minCPU: 2 },
      software: { os: 'ubuntu-24.04' },
    },
  });
}

async function runMode(mode: Mode): Promise<AuditRun> {
  const envtest = await startEnvtest({ audit: true });
  envtests.push(envtest);
  const auditLog = envtest.auditLogPath;
  if (auditLog === undefined) throw new Error('the envtest has no audit log');
  const dir = mkdtempSync(join(tmpdir(), 'polyfleet-rbac-audit-'));
  dirs.push(dir);
  const admin = (args: readonly string[]): Promise<string> => kubectlOk(['--kubeconfig', envtest.kubeconfigPath, ...args]);
  const adminTry = (args: readonly string[]) => kubectl(['--kubeconfig', envtest.kubeconfigPath, ...args]);
  const [pools = 'pools'] = mode.poolNamespaces;

  await applyCrds(envtest.kubeconfigPath);
  for (const ns of [RELEASE_NAMESPACE, ...mode.poolNamespaces, ...(mode.unwatched === undefined ? [] : [mode.unwatched])]) await admin(['create', 'namespace', ns]);

  // The chart as a user installs it; its RBAC objects applied exactly as rendered.
  const objects = await renderChart({ namespace: RELEASE_NAMESPACE, set: ['allowEndpoints={127.0.0.1}', ...mode.set] });
  writeFileSync(join(dir, 'rbac.yaml'), objects.filter((o) => RBAC_KINDS.has(o.kind)).map((o) => stringify(o)).join('---\n'));
  await admin(['apply', '-f', join(dir, 'rbac.yaml')]);
  const sa = objects.find((o) => o.kind === 'ServiceAccount');
  if (sa === undefined) throw new Error('the chart renders no ServiceAccount');
  const serviceAccount = { namespace: RELEASE_NAMESPACE, name: sa.metadata.name };
  const token = (await admin(['create', 'token', serviceAccount.name, '-n', RELEASE_NAMESPACE, '--duration=2h'])).trim();
  const kubeconfig = join(dir, 'service-account.kubeconfig');
  writeKubeconfig(kubeconfig, { server: envtest.server, caPem: envtest.caPem, token, user: `${serviceAccount.namespace}:${serviceAccount.name}` });

  // The Deployment's arguments, then what only a pod would have: a kubeconfig instead of the
  // in-cluster one, a free port on loopback, a sim dir of this test's own, quieter logs.
  const deployment = objects.find((o) => o.kind === 'Deployment') as { spec: { template: { spec: { containers: { args: string[] }[] } } } } | undefined;
  const args = deployment?.spec.template.spec.containers[0]?.args;
  if (args === undefined) throw new Error('the chart renders no Deployment with arguments');
  const simDir = join(dir, 'sim');
  const env: NodeJS.ProcessEnv = { ...process.env, POD_NAMESPACE: RELEASE_NAMESPACE };
  delete env.KUBECONFIG;
  const controller = startPolyfleet(dir, [...args, `--kubeconfig=${kubeconfig}`, '--port=0', '--bind-address=127.0.0.1', `--sim-dir=${simDir}`, '--log-level=warn'], env);
  controllers.push(controller);
  const alive = (): void => {
    if (controller.child.exitCode !== null) throw new Error(`polyfleet controller exited ${controller.child.exitCode}:\n${controller.stderr()}${controller.stdout()}`);
  };
  const user = `system:serviceaccount:${serviceAccount.namespace}:${serviceAccount.name}`;
  const used = (verb: string, resource: string): boolean => auditedRequests(auditLog, user).some((r) => r.verb === verb && r.resource === resource);

  // A request the chart does not grant makes the step that needs it time out: the scenario's
  // failure is kept and reported after the comparison, which names the request.
  let scenarioError: unknown;
  let unwatchedStatus: unknown;
  try {
    unwatchedStatus = await scenario();
  } catch (e) {
    scenarioError = e;
  }
  // A stop releases the Lease (an update), as a rolling update of the Deployment does.
  controller.child.kill('SIGTERM');
  const stopCode = await controller.exited;
  const requests = auditedRequests(auditLog, user);
  return { objects, serviceAccount, requests, comparison: compareRbac(grantsTo(objects, serviceAccount), requests), unwatchedStatus, scenarioError, stopCode, controllerStderr: controller.stderr() };

  async function scenario(): Promise<unknown> {
  await eventually(
    async () => (alive(), (await adminTry(['get', 'lease', '-n', RELEASE_NAMESPACE, 'polyfleet-controller', '-o', 'jsonpath={.spec.holderIdentity}'])).stdout),
    (holder) => holder !== '',
    `${mode.name}: the controller to take the Lease`,
    60_000,
  );

  // An Event written now and again after the recorder's window: the second raises its series.
  writeFileSync(join(dir, 'flip-empty.yaml'), flipStrategy(1000));
  writeFileSync(join(dir, 'flip-full.yaml'), flipStrategy(1));
  await admin(['apply', '-n', pools, '-f', join(dir, 'flip-empty.yaml')]);
  const flipEvents = async (): Promise<{ series?: { count?: number } }[]> =>
    (JSON.parse(await admin(['get', 'events.events.k8s.io', '-n', pools, '--field-selector', 'regarding.name=flip', '-o', 'json'])) as { items: { reason: string; series?: { count?: number } }[] }).items.filter((e) => e.reason === 'NoOfferings');
  await eventually(async () => (alive(), await flipEvents()), (events) => events.length === 1, `${mode.name}: the NoOfferings Event of Strategy flip`, 60_000);
  const firstEventAt = Date.now();

  // A Strategy whose account's credentials are a Secret: read with one get.
  const [closedPort = 1] = await freeLoopbackPorts(1);
  await admin(['create', 'secret', 'generic', 'aws-creds', '-n', pools, '--type=polyfleet.io/credentials', '--from-literal=accessKeyId=AKIAEXAMPLE', '--from-literal=secretAccessKey=not-a-secret']);
  writeFileSync(join(dir, 'with-credentials.yaml'), credentialsStrategy(closedPort));
  await admin(['apply', '-n', pools, '-f', join(dir, 'with-credentials.yaml')]);
  await eventually(
    async () => (alive(), (await admin(['get', 'strategy', '-n', pools, 'with-credentials', '-o', 'jsonpath={.status.conditions[?(@.type=="Ready")].message}']))),
    (message) => message.includes('aws-east'),
    `${mode.name}: Strategy with-credentials to report its account`,
    60_000,
  );

  // The quickstart: create, scale down, an instance killed, and (after the Event) delete.
  if (mode.unwatched !== undefined) await admin(['apply', '-n', mode.unwatched, '-f', join(repoRoot, 'examples/quickstart')]);
  await admin(['apply', '-n', pools, '-f', join(repoRoot, 'examples/quickstart')]);
  interface MachineView { metadata: { uid: string; deletionTimestamp?: string }; status?: { phase?: string; instanceId?: string } }
  const machines = async (): Promise<MachineView[]> => (JSON.parse(await admin(['get', 'machines', '-n', pools, '-o', 'json'])) as { items: MachineView[] }).items;
  const untilRunning = (count: number): Promise<MachineView[]> =>
    eventually(
      async () => (alive(), await machines()),
      (ms) => ms.length === count && ms.every((m) => m.status?.phase === 'Running' && m.metadata.deletionTimestamp === undefined),
      `${mode.name}: ${count} Machines Running`,
      180_000,
    );
  await untilRunning(7);
  // HostGroups over the quickstart's Machines: listed, watched, and their status written.
  await admin(['apply', '-n', pools, '-f', join(repoRoot, 'examples/inventory')]);
  await eventually(
    async () => (alive(), await admin(['get', 'hostgroup', '-n', pools, 'workers', '-o', 'jsonpath={.status.hostCount}'])),
    (count) => count === '7',
    `${mode.name}: HostGroup workers to report its 7 hosts`,
    60_000,
  );
  await admin(['scale', '-n', pools, 'nodepool/workers', '--replicas=2']);
  const three = await untilRunning(3);
  const victim = three[0];
  const instanceId = victim?.status?.instanceId;
  if (victim === undefined || instanceId === undefined) throw new Error('a Running Machine without an instance id');
  const killed = runPolyfleet(dir, ['sim', 'kill', instanceId, '--dir', simDir]);
  if (killed.status !== 0) throw new Error(`polyfleet sim kill ${instanceId}: ${killed.stderr}`);
  await eventually(
    async () => (alive(), await machines()),
    (ms) => ms.length === 3 && !ms.some((m) => m.metadata.uid === victim.metadata.uid) && ms.every((m) => m.status?.phase === 'Running'),
    `${mode.name}: the killed instance's Machine replaced`,
    180_000,
  );

  await new Promise((resolve) => setTimeout(resolve, Math.max(0, firstEventAt + EVENT_REPEAT_AFTER_MS - Date.now())));
  await admin(['apply', '-n', pools, '-f', join(dir, 'flip-full.yaml')]);
  await eventually(
    async () => (alive(), await admin(['get', 'strategy', '-n', pools, 'flip', '-o', 'jsonpath={.status.conditions[?(@.type=="NoOfferings")].status}'])),
    (status) => status === 'False',
    `${mode.name}: Strategy flip to have offerings`,
    60_000,
  );
  await admin(['apply', '-n', pools, '-f', join(dir, 'flip-empty.yaml')]);
  await eventually(() => (alive(), used('patch', 'events')), (patched) => patched, `${mode.name}: a patch of the NoOfferings Event's series`, 60_000);
  await eventually(async () => (alive(), await flipEvents()), (events) => events.length === 1 && (events[0]?.series?.count ?? 0) >= 2, `${mode.name}: the NoOfferings Event's series`, 10_000);

  await admin(['delete', '-n', pools, 'nodepool', 'workers', '--timeout=120s']);
  expect(await machines()).toEqual([]);
  await admin(['delete', '-n', pools, 'strategies,placementrules', '--all']);
  return mode.unwatched === undefined ? undefined : (JSON.parse(await admin(['get', 'nodepool', '-n', mode.unwatched, 'workers', '-o', 'json'])) as { status?: unknown }).status;
  }
}

describe("the chart's RBAC against the audit log of a real API server", () => {
  const runs: Partial<Record<keyof typeof MODES, Promise<AuditRun>>> = {};

  beforeAll(() => {
    ensureHelm();
    // Both modes at once, each on its own API server: a cluster-wide controller would reconcile the other's pools.
    for (const key of Object.keys(MODES) as (keyof typeof MODES)[]) {
      const run = runMode(MODES[key]);
      run.catch(() => undefined);
      runs[key] = run;
    }
  }, 20 * 60_000);

  afterAll(async () => {
    for (const c of controllers) if (c.child.exitCode === null) c.child.kill('SIGKILL');
    await Promise.all(controllers.map((c) => c.exited));
    await Promise.all(envtests.map((e) => e.stop()));
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  });

  const run = (key: keyof typeof MODES): Promise<AuditRun> => {
    const r = runs[key];
    if (r === undefined) throw new Error(`the ${key} run did not start`);
    return r;
  };

  it('cluster-wide: the ClusterRole and the two Roles grant exactly the pairs the controller used, and nothing was refused', async () => {
    const { comparison, objects, scenarioError, stopCode } = await run('cluster');
    expect(comparison.missing).toEqual([]);
    expect(comparison.extra).toEqual([]);
    expect(comparison.nonResource).toEqual([]);
    expect(wildcardRules(objects)).toEqual([]);
    expect(comparison.usedPairs).toEqual(comparison.grantedPairs);
    expect(comparison.usedPairs).toEqual(EXPECTED_PAIRS);
    expect(objects.filter((o) => o.kind === 'ClusterRoleBinding').map((o) => o.metadata.name)).toEqual(['polyfleet-controller']);
    expect(scenarioError).toBeUndefined();
    expect(stopCode).toBe(0);
  }, 20 * 60_000);

  it('namespace-scoped: Roles only, the same pairs, and nothing listed, watched or written outside the watched namespaces', async () => {
    const { comparison, objects, requests, unwatchedStatus, serviceAccount, scenarioError, stopCode } = await run('namespaced');
    expect(comparison.missing).toEqual([]);
    expect(comparison.extra).toEqual([]);
    expect(comparison.nonResource).toEqual([]);
    expect(wildcardRules(objects)).toEqual([]);
    expect(comparison.usedPairs).toEqual(EXPECTED_PAIRS);
    // No ClusterRole is bound to the controller, and no request it made reached outside its namespaces.
    expect(objects.filter((o) => o.kind === 'ClusterRoleBinding')).toEqual([]);
    expect(grantsTo(objects, serviceAccount).filter((g) => g.scope === '*')).toEqual([]);
    const outside = requests.filter((r) => r.namespace === undefined || ![RELEASE_NAMESPACE, 'kube-system', ...MODES.namespaced.poolNamespaces].includes(r.namespace));
    expect(outside.map((r) => `${r.verb} ${r.uri}`)).toEqual([]);
    // Both watched namespaces are listed and watched, each on its own.
    for (const ns of MODES.namespaced.poolNamespaces) {
      for (const verb of ['list', 'watch']) expect(requests.some((r) => r.verb === verb && r.resource === 'nodepools' && r.namespace === ns)).toBe(true);
    }
    expect(scenarioError).toBeUndefined();
    expect(stopCode).toBe(0);
    expect(unwatchedStatus).toBeUndefined();
  }, 20 * 60_000);
});

/** What the controllers call, as the audit log showed it (and the chart's README lists). */
const EXPECTED_PAIRS = [
  'coordination.k8s.io/leases create',
  'coordination.k8s.io/leases get',
  'coordination.k8s.io/leases update',
  'core/namespaces get',
  'core/secrets get',
  'events.k8s.io/events create',
  'events.k8s.io/events patch',
  'polyfleet.io/hostgroups list',
  'polyfleet.io/hostgroups watch',
  'polyfleet.io/hostgroups/status update',
  'polyfleet.io/machines create',
  'polyfleet.io/machines delete',
  'polyfleet.io/machines list',
  'polyfleet.io/machines patch',
  'polyfleet.io/machines watch',
  'polyfleet.io/machines/status update',
  'polyfleet.io/nodepools list',
  'polyfleet.io/nodepools update',
  'polyfleet.io/nodepools watch',
  'polyfleet.io/nodepools/status update',
  'polyfleet.io/placementrules list',
  'polyfleet.io/placementrules watch',
  'polyfleet.io/placementrules/status update',
  'polyfleet.io/strategies list',
  'polyfleet.io/strategies watch',
  'polyfleet.io/strategies/status update',
];
