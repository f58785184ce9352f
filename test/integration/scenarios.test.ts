import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { LABEL_POOL, type Machine, type NodePool } from '../../api/index.js';
import { runPolyfleet, startPolyfleet, type BackgroundPolyfleet } from '../../cli/testing/cli-process.js';
import { addFaults, pollUntil, runScenario, type ScenarioDriver } from '../scenarios/driver.js';
import { FAULTED_MACHINES, FAULTS_DEADLINE_MS, FAULTS_OFFERING_BACKOFF, RECONCILES_PER_MACHINE_BOUND, faultScenario, reconcileTotal } from '../scenarios/fault-scenario.js';
import type { Manifest } from '../scenarios/manifests.js';
import { buildScenarios, type Scenario } from '../scenarios/scenarios.js';
import { applyCrds, createNamespace, loadKubeConfig } from './cluster.js';
import { kubectl, kubectlOk } from './kubectl.js';

const DEADLINE_MS = 90_000;

/** One `polyfleet controller` process watching its own namespace, driven through kubectl. */
class KubeDriver implements ScenarioDriver {
  // Made by start(), so a describe that jest filters out leaves no temp dir behind.
  dir = '';
  simDir = '';
  private controller: BackgroundPolyfleet | undefined;
  private applied = 0;

  constructor(readonly namespace: string) {}

  start(flags: readonly string[] = []): void {
    this.dir = mkdtempSync(join(tmpdir(), 'polyfleet-kube-scenarios-'));
    this.simDir = join(this.dir, 'sim');
    const argv = ['controller', '--namespace', this.namespace, '--no-leader-elect', '--port', '0', '--sim-dir', this.simDir, '--log-level', 'info', ...flags];
    this.controller = startPolyfleet(this.dir, argv);
  }

  /** From the controller's own log line, since --port 0 picks the port. */
  async metricsUrl(): Promise<string> {
    const pattern = /"url":"(http:\/\/127\.0\.0\.1:\d+)"/;
    const out = await pollUntil(() => Promise.resolve(this.controller?.stdout() ?? ''), (s) => pattern.test(s), 'the controller to serve /metrics', DEADLINE_MS, () => this.diagnostics());
    return `${pattern.exec(out)?.[1] ?? ''}/metrics`;
  }

  async stop(): Promise<void> {
    this.controller?.child.kill('SIGKILL');
    await this.controller?.exited;
    if (this.dir !== '') rmSync(this.dir, { recursive: true, force: true });
  }

  async apply(manifests: readonly Manifest[]): Promise<void> {
    const file = join(this.dir, `manifests-${++this.applied}.yaml`);
    writeFileSync(file, manifests.map((m) => stringify(m)).join('---\n'));
    await kubectlOk(['apply', '-n', this.namespace, '-f', file]);
  }

  async view(pool: string): Promise<{ pool: NodePool | undefined; machines: Machine[] }> {
    const got = await kubectl(['get', 'nodepool', '-n', this.namespace, pool, '-o', 'json']);
    const machines = await kubectlOk(['get', 'machines', '-n', this.namespace, '-l', `${LABEL_POOL}=${pool}`, '-o', 'json']);
    return {
      pool: got.code === 0 ? (JSON.parse(got.stdout) as NodePool) : undefined,
      machines: (JSON.parse(machines) as { items: Machine[] }).items,
    };
  }

  poll(pool: string): Promise<{ pool: NodePool | undefined; machines: Machine[] }> {
    return this.view(pool);
  }

  addFault(flags: readonly string[]): void {
    const r = runPolyfleet(this.dir, ['sim', 'faults', '--dir', this.simDir, ...flags]);
    if (r.status !== 0) throw new Error(`polyfleet sim faults ${flags.join(' ')} exited ${r.status}: ${r.stderr}`);
  }

  diagnostics(): string {
    const lines = (this.controller?.stdout() ?? '').split('\n').filter((l) => !l.includes('"level":30'));
    return `polyfleet controller warnings and errors:\n${lines.slice(-40).join('\n')}\nstderr:\n${this.controller?.stderr() ?? ''}`;
  }
}

describe('the behaviour matrix on the real API server, through kubectl', () => {
  let driver: KubeDriver;
  let scenarios: Scenario[] = [];

  beforeAll(async () => {
    await applyCrds();
    driver = new KubeDriver(await createNamespace(loadKubeConfig(), 'scenarios'));
    driver.start();
    scenarios = await buildScenarios(driver.simDir);
  }, 120_000);

  afterAll(() => driver.stop());

  it('runs every scenario of the table against one polyfleet controller', async () => {
    // Applied together so the pools converge side by side, then each checked on its own.
    for (const s of scenarios) await addFaults(driver, s.steps[0]?.faults ?? [], s.steps[0]?.faultRules ?? []);
    await driver.apply(scenarios.flatMap((s) => s.steps[0]?.manifests ?? []));
    for (const s of scenarios) await runScenario(driver, s, DEADLINE_MS, true);
    expect(scenarios.length).toBeGreaterThan(8);
  }, DEADLINE_MS * 3);
});

describe('faults on the real API server', () => {
  let driver: KubeDriver;

  beforeAll(async () => {
    await applyCrds();
    driver = new KubeDriver(await createNamespace(loadKubeConfig(), 'faults'));
    driver.start(['--offering-backoff', FAULTS_OFFERING_BACKOFF]);
  }, 120_000);

  afterAll(() => driver.stop());

  it(`converges with 30 % of sim calls failing, within ${RECONCILES_PER_MACHINE_BOUND} reconciles a Machine`, async () => {
    const metrics = await driver.metricsUrl();
    const startedMs = Date.now();
    await runScenario(driver, faultScenario(), FAULTS_DEADLINE_MS);
    const total = await reconcileTotal(metrics);
    process.stdout.write(`faults (real API server): ${total} reconciles for ${FAULTED_MACHINES} Machines, converged in ${((Date.now() - startedMs) / 1000).toFixed(0)} s\n`);
    expect(total).toBeGreaterThan(0);
    expect(total).toBeLessThan(RECONCILES_PER_MACHINE_BOUND * FAULTED_MACHINES);
  }, FAULTS_DEADLINE_MS + 60_000);
});
