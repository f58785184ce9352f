// Writes argo/health/polyfleet.io/<Kind>/testdata/*.yaml from real objects: the quickstart and a
// few variants applied to a real API server, `polyfleet controller` (sim provider) reconciling
// them, and every version of every polyfleet object recorded from a watch, so a transient state
// (ScalingUp, a Machine Provisioning, a generation the controller has not seen yet) is caught as
// the API server served it. managedFields and kubectl's last-applied annotation are dropped.
//
//   test/envtest/run.sh npx tsx test/argo/capture-testdata.ts
//
// Takes about three minutes. The health_test.yaml files name the expected health of each file;
// after a capture, `npm run jest -- test/contract/argo-health.test.ts` says what changed.
import { KubeConfig, Watch } from '@kubernetes/client-node';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';
import { runPolyfleet, startPolyfleet } from '../../cli/testing/cli-process.js';
import { applyCrds } from '../integration/cluster.js';
import { kubectlOk, repoRoot } from '../integration/kubectl.js';

interface Condition { type: string; status: string; reason: string; message: string }
interface Obj {
  kind: string;
  metadata: { name: string; namespace: string; generation?: number; deletionTimestamp?: string; managedFields?: unknown; annotations?: Record<string, string>; labels?: Record<string, string> };
  spec: Record<string, unknown>;
  status?: { observedGeneration?: number; phase?: string; conditions?: Condition[]; instanceId?: string; readyReplicas?: number };
}

const PLURALS = { NodePool: 'nodepools', Machine: 'machines', Strategy: 'strategies', PlacementRule: 'placementrules' } as const;
type Kind = keyof typeof PLURALS;

const seen: Obj[] = [];
let stopped = false;
const dir = mkdtempSync(join(tmpdir(), 'polyfleet-argo-capture-'));
const simDir = join(dir, 'sim');
const out = join(repoRoot, 'argo/health/polyfleet.io');

function condition(o: Obj, type: string): Condition | undefined {
  return o.status?.conditions?.find((c) => c.type === type);
}

/** The first recorded version (in watch order) of a `kind` object that `pred` accepts. */
async function caught(kind: Kind, what: string, pred: (o: Obj) => boolean, ms = 120_000): Promise<Obj> {
  const deadline = Date.now() + ms;
  for (;;) {
    const found = seen.find((o) => o.kind === kind && pred(o));
    if (found !== undefined) return found;
    if (Date.now() > deadline) throw new Error(`no ${kind} was ever ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

function save(kind: Kind, file: string, o: Obj): void {
  const copy = structuredClone(o);
  delete copy.metadata.managedFields;
  const annotations = copy.metadata.annotations;
  if (annotations !== undefined) {
    delete annotations['kubectl.kubernetes.io/last-applied-configuration'];
    if (Object.keys(annotations).length === 0) delete copy.metadata.annotations;
  }
  mkdirSync(join(out, kind, 'testdata'), { recursive: true });
  writeFileSync(join(out, kind, 'testdata', file), stringify(copy, { lineWidth: 0 }));
  process.stderr.write(`captured ${kind}/testdata/${file}\n`);
}

/** Applies `docs` (objects) into `namespace` with kubectl, as a user does. */
async function apply(namespace: string, docs: unknown[]): Promise<void> {
  const file = join(dir, `apply-${Math.random().toString(36).slice(2)}.yaml`);
  writeFileSync(file, docs.map((d) => stringify(d)).join('---\n'));
  await kubectlOk(['apply', '-n', namespace, '-f', file]);
}

function quickstart(file: 'strategy' | 'placementrule' | 'nodepool'): Record<string, unknown> & { spec: Record<string, unknown>; metadata: Record<string, unknown> } {
  return parse(readFileSync(join(repoRoot, 'examples/quickstart', `${file}.yaml`), 'utf8')) as never;
}

function strategyWith(name: string, change: (spec: Record<string, unknown>) => void): Record<string, unknown> {
  const s = quickstart('strategy');
  s.metadata = { name };
  change(s.spec);
  return s;
}

function poolWith(name: string, change: (spec: Record<string, unknown>) => void): Record<string, unknown> {
  const p = quickstart('nodepool');
  p.metadata = { name };
  change(p.spec);
  return p;
}

function sim(args: string[]): string {
  const r = runPolyfleet(dir, ['sim', ...args, '--dir', simDir]);
  if (r.status !== 0) throw new Error(`polyfleet sim ${args.join(' ')}: ${r.stderr}`);
  return r.stdout;
}

async function main(): Promise<void> {
  await applyCrds();
  const kc = new KubeConfig();
  kc.loadFromDefault();
  const watch = new Watch(kc);
  // A watch of a CRD just established may be refused (429) while the server's cache for it fills,
  // and every watch ends now and then: go on from the last version seen.
  const follow = async (kind: string, plural: string, resourceVersion?: string): Promise<void> => {
    let last = resourceVersion;
    await watch.watch(`/apis/polyfleet.io/v1alpha1/${plural}`, { timeoutSeconds: 600, ...(last === undefined ? {} : { resourceVersion: last }) }, (type, object: Obj & { metadata: { resourceVersion?: string } }) => {
      if (type === 'ERROR') {
        last = undefined;
        return;
      }
      last = object.metadata.resourceVersion ?? last;
      if (type !== 'BOOKMARK') seen.push({ ...object, kind });
    }, (err: unknown) => {
      if (stopped) return;
      const why = err instanceof Error ? err.message : '';
      if (why !== '' && !why.includes('timeout')) process.stderr.write(`watch of ${plural} ended (${why}), starting again\n`);
      setTimeout(() => void follow(kind, plural, last), 200);
    });
  };
  for (const [kind, plural] of Object.entries(PLURALS)) await follow(kind, plural);
  for (const ns of ['fleet', 'budget', 'dryrun', 'invalid', 'full', 'slow', 'remediation', 'none', 'orphan']) await kubectlOk(['create', 'namespace', ns]);

  // Before any controller runs: objects as Git has them, no status yet.
  await kubectlOk(['apply', '-n', 'fleet', '-f', join(repoRoot, 'examples/quickstart')]);
  save('NodePool', 'progressing-no-status.yaml', await caught('NodePool', 'applied', (o) => o.metadata.namespace === 'fleet'));
  save('Strategy', 'progressing-no-status.yaml', await caught('Strategy', 'applied', (o) => o.metadata.namespace === 'fleet'));
  save('PlacementRule', 'progressing-no-status.yaml', await caught('PlacementRule', 'applied', (o) => o.metadata.namespace === 'fleet'));

  // Variants, each in its namespace. Accounts named full-* and slow-* get the sim faults below.
  await apply('budget', [strategyWith('sim-cheapest', (s) => { s.budget = { maxHourlyPerNode: '0.05', maxHourlyTotal: '0.10' }; }), quickstart('placementrule'), quickstart('nodepool')]);
  await apply('dryrun', [quickstart('strategy'), quickstart('placementrule'), poolWith('workers', (s) => { s.dryRun = true; })]);
  await apply('invalid', [
    quickstart('strategy'),
    { ...quickstart('placementrule'), spec: { failureDomains: ['provider', 'rack'], groupSize: 2 } },
    quickstart('nodepool'),
  ]);
  const accounts = (prefix: string): unknown[] => ['a', 'b', 'c'].map((x) => ({ name: `${prefix}-${x}`, type: 'sim' }));
  await apply('full', [strategyWith('sim-cheapest', (s) => { s.providers = accounts('full'); }), quickstart('placementrule'), poolWith('workers', (s) => { s.replicas = 2; s.redundancy = '1:1'; })]);
  await apply('slow', [strategyWith('sim-cheapest', (s) => { s.providers = accounts('slow'); }), quickstart('placementrule'), poolWith('workers', (s) => { s.replicas = 1; s.redundancy = '1:1'; })]);
  await apply('remediation', [quickstart('strategy'), quickstart('placementrule'), poolWith('workers', (s) => { s.replicas = 5; s.redundancy = '1:1'; })]);
  await apply('none', [strategyWith('sim-cheapest', (s) => { s.hardware = { minCPU: 512 }; }), quickstart('placementrule'), quickstart('nodepool')]);
  for (const x of ['a', 'b', 'c']) {
    sim(['faults', '--op', 'create', '--kind', 'capacity', '--rate', '1', '--account', `full-${x}`]);
    sim(['faults', '--op', 'create', '--kind', 'throttled', '--rate', '1', '--retry-after-ms', '600000', '--account', `slow-${x}`]);
  }

  const controller = startPolyfleet(dir, ['controller', '--no-leader-elect', '--port', '0', '--sim-dir', simDir, '--log-level', 'warn']);
  try {
    const inFleet = (o: Obj): boolean => o.metadata.namespace === 'fleet';
    const reason = (o: Obj, type: string, r: string): boolean => condition(o, type)?.reason === r;
    save('NodePool', 'progressing-scaling-up.yaml', await caught('NodePool', 'ScalingUp', (o) => inFleet(o) && condition(o, 'Progressing')?.status === 'True' && reason(o, 'Progressing', 'ScalingUp')));
    save('NodePool', 'progressing-machines-not-ready.yaml', await caught('NodePool', 'waiting for Machines', (o) => inFleet(o) && reason(o, 'Progressing', 'MachinesNotReady') && (o.status?.readyReplicas ?? 0) > 0));
    save('Machine', 'progressing-no-status.yaml', await caught('Machine', 'created', (o) => inFleet(o) && o.status === undefined));
    save('Machine', 'progressing-provisioning.yaml', await caught('Machine', 'Provisioning', (o) => inFleet(o) && o.status?.phase === 'Provisioning'));
    const healthy = await caught('NodePool', 'Ready', (o) => inFleet(o) && condition(o, 'Ready')?.status === 'True' && reason(o, 'Progressing', 'Stable'));
    save('NodePool', 'healthy.yaml', healthy);
    save('Machine', 'healthy-running.yaml', await caught('Machine', 'Running', (o) => inFleet(o) && o.status?.phase === 'Running' && condition(o, 'Ready')?.status === 'True'));
    save('Strategy', 'healthy.yaml', await caught('Strategy', 'Ready', (o) => inFleet(o) && condition(o, 'Ready')?.status === 'True'));
    save('PlacementRule', 'healthy.yaml', await caught('PlacementRule', 'Ready', (o) => inFleet(o) && condition(o, 'Ready')?.status === 'True' && reason(o, 'Ready', 'Compiled') && !(condition(o, 'Ready')?.message.startsWith('not used') ?? true)));

    // A new generation the controller has not answered yet, then scaling down.
    await kubectlOk(['scale', '-n', 'fleet', 'nodepool/workers', '--replicas=3']);
    save('NodePool', 'progressing-generation.yaml', await caught('NodePool', 'ahead of its status', (o) => inFleet(o) && (o.metadata.generation ?? 0) > (o.status?.observedGeneration ?? 0) && o.status?.observedGeneration !== undefined));
    save('NodePool', 'progressing-scaling-down.yaml', await caught('NodePool', 'ScalingDown', (o) => inFleet(o) && reason(o, 'Progressing', 'ScalingDown')));
    save('Machine', 'progressing-terminating.yaml', await caught('Machine', 'Terminating', (o) => inFleet(o) && o.status?.phase === 'Terminating' && o.metadata.deletionTimestamp !== undefined));
    await kubectlOk(['patch', '-n', 'fleet', 'strategy/sim-cheapest', '--type=merge', '-p', '{"spec":{"budget":{"maxHourlyTotal":"3.00"}}}']);
    save('Strategy', 'progressing-generation.yaml', await caught('Strategy', 'ahead of its status', (o) => inFleet(o) && (o.metadata.generation ?? 0) > (o.status?.observedGeneration ?? 0) && o.status?.observedGeneration !== undefined));
    await kubectlOk(['patch', '-n', 'fleet', 'placementrule/across-providers', '--type=merge', '-p', '{"spec":{"weighting":"inversePrice"}}']);
    save('PlacementRule', 'progressing-generation.yaml', await caught('PlacementRule', 'ahead of its status', (o) => inFleet(o) && (o.metadata.generation ?? 0) > (o.status?.observedGeneration ?? 0) && o.status?.observedGeneration !== undefined));
    await caught('NodePool', 'Ready at 4', (o) => inFleet(o) && o.status?.observedGeneration === o.metadata.generation && reason(o, 'Progressing', 'Stable') && condition(o, 'Ready')?.status === 'True' && (o.metadata.generation ?? 0) > (healthy.metadata.generation ?? 0));

    // Paused, asked for more: nothing happens. An instance killed meanwhile fails its Machine, which stays.
    await kubectlOk(['patch', '-n', 'fleet', 'nodepool/workers', '--type=merge', '-p', '{"spec":{"paused":true,"replicas":5}}']);
    save('NodePool', 'suspended-paused.yaml', await caught('NodePool', 'paused', (o) => inFleet(o) && reason(o, 'Progressing', 'Paused') && o.status?.observedGeneration === o.metadata.generation));
    const running = await caught('Machine', 'Running, to kill', (o) => inFleet(o) && o.status?.phase === 'Running' && o.metadata.deletionTimestamp === undefined && seen.filter((v) => v.metadata.name === o.metadata.name).every((v) => v.metadata.deletionTimestamp === undefined));
    sim(['kill', running.status?.instanceId ?? '']);
    save('Machine', 'degraded-failed.yaml', await caught('Machine', 'Failed', (o) => o.metadata.name === running.metadata.name && o.status?.phase === 'Failed'));
    await kubectlOk(['patch', '-n', 'fleet', 'nodepool/workers', '--type=merge', '-p', '{"spec":{"paused":false}}']);
    save('NodePool', 'degraded-machines-failed.yaml', await caught('NodePool', 'MachinesFailed', (o) => inFleet(o) && !o.spec.paused && o.status?.observedGeneration === o.metadata.generation && reason(o, 'Degraded', 'MachinesFailed')));
    await caught('NodePool', 'Ready at 6', (o) => inFleet(o) && (o.status?.readyReplicas ?? 0) === 6 && condition(o, 'Ready')?.status === 'True');

    // The cloud forgets an instance: not gone until that has lasted a minute.
    const vanishing = await caught('Machine', 'Running, to vanish', (o) => inFleet(o) && o.status?.phase === 'Running' && o.metadata.name !== running.metadata.name && o.metadata.deletionTimestamp === undefined);
    sim(['kill', vanishing.status?.instanceId ?? '', '--vanish']);
    save('Machine', 'progressing-instance-not-found.yaml', await caught('Machine', 'not found', (o) => o.metadata.name === vanishing.metadata.name && reason(o, 'Ready', 'InstanceNotFound')));

    // The Strategy pruned (as Argo CD may): every Machine keeps its instance and says what is missing.
    await kubectlOk(['delete', '-n', 'fleet', 'strategy/sim-cheapest']);
    save('NodePool', 'degraded-strategy-not-found.yaml', await caught('NodePool', 'StrategyNotFound', (o) => inFleet(o) && reason(o, 'Degraded', 'StrategyNotFound')));
    save('Machine', 'degraded-strategy-not-found.yaml', await caught('Machine', 'without its Strategy', (o) => inFleet(o) && o.status?.phase === 'Running' && condition(o, 'ProviderAccountFound')?.status === 'False', 90_000));

    const ns = (name: string) => (o: Obj): boolean => o.metadata.namespace === name;
    save('NodePool', 'degraded-budget-exceeded.yaml', await caught('NodePool', 'BudgetExceeded', (o) => ns('budget')(o) && condition(o, 'BudgetExceeded')?.status === 'True'));
    save('NodePool', 'suspended-dry-run.yaml', await caught('NodePool', 'DryRun', (o) => ns('dryrun')(o) && reason(o, 'Progressing', 'DryRun')));
    save('NodePool', 'degraded-invalid-spec.yaml', await caught('NodePool', 'InvalidSpec', (o) => ns('invalid')(o) && condition(o, 'InvalidSpec')?.status === 'True'));
    save('PlacementRule', 'degraded-invalid-spec.yaml', await caught('PlacementRule', 'InvalidSpec', (o) => ns('invalid')(o) && condition(o, 'InvalidSpec')?.status === 'True'));
    save('Machine', 'progressing-throttled.yaml', await caught('Machine', 'throttled', (o) => ns('slow')(o) && o.status?.phase === 'Pending' && reason(o, 'Launched', 'Throttled')));
    save('Machine', 'degraded-insufficient-capacity.yaml', await caught('Machine', 'refused for capacity', (o) => ns('full')(o) && o.status?.phase === 'Failed'));
    save('NodePool', 'degraded-unplaceable.yaml', await caught('NodePool', 'Unplaceable', (o) => ns('full')(o) && reason(o, 'Degraded', 'Unplaceable')));
    save('Strategy', 'degraded-no-offerings.yaml', await caught('Strategy', 'NoOfferings', (o) => ns('none')(o) && condition(o, 'NoOfferings')?.status === 'True'));
    save('PlacementRule', 'degraded-no-domains.yaml', await caught('PlacementRule', 'without domains', (o) => ns('none')(o) && condition(o, 'Ready')?.status === 'False'));

    // A Machine as versions before the account record made them (no spec.providerAccount), with an
    // instance, in a namespace without any Strategy: deleting it is blocked, its instance kept.
    const orphan = { apiVersion: 'polyfleet.io/v1alpha1', kind: 'Machine', metadata: { name: 'old-worker', finalizers: ['polyfleet.io/machine'], labels: { 'polyfleet.io/pool': 'workers' } },
      spec: { pool: 'workers', provider: 'sim-a', providerType: 'sim', region: 'eu-central', zone: 'eu-central-a', instanceType: 'sim.small', slot: 0, failureDomain: 'sim-a/eu-central/eu-central-a' } };
    await apply('orphan', [orphan]);
    await caught('Machine', 'seen by its controller', (o) => ns('orphan')(o) && o.status?.phase !== undefined);
    await kubectlOk(['patch', '-n', 'orphan', 'machine/old-worker', '--subresource=status', '--type=merge', '-p', '{"status":{"phase":"Running","instanceId":"sim-00000000000000aa"}}']);
    await kubectlOk(['delete', '-n', 'orphan', 'machine/old-worker', '--wait=false']);
    save('Machine', 'degraded-termination-blocked.yaml', await caught('Machine', 'blocked in termination', (o) => ns('orphan')(o) && reason(o, 'InstanceTerminated', 'ProviderAccountNotFound')));

    // Four of five instances die at once: two are replaced (maxUnhealthy 40%), two wait.
    await caught('NodePool', 'Ready with 5', (o) => ns('remediation')(o) && condition(o, 'Ready')?.status === 'True' && o.status?.readyReplicas === 5);
    const victims = seen.filter((o) => ns('remediation')(o) && o.kind === 'Machine' && o.status?.phase === 'Running').map((o) => o.status?.instanceId ?? '');
    for (const id of [...new Set(victims)].slice(0, 4)) sim(['kill', id]);
    save('NodePool', 'degraded-remediation-paused.yaml', await caught('NodePool', 'RemediationPaused', (o) => ns('remediation')(o) && condition(o, 'RemediationPaused')?.status === 'True'));
  } finally {
    stopped = true;
    controller.child.kill('SIGTERM');
    await controller.exited;
    rmSync(dir, { recursive: true, force: true });
  }
}

main().then(
  () => process.exit(0),
  (e: unknown) => {
    process.stderr.write(`${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
    process.exit(1);
  },
);
