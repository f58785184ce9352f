import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { stringify } from 'yaml';
import { LABEL_POOL, type Machine, type NodePool } from '../../api/index.js';
import { addFaults, pollUntil, runScenario, type ScenarioDriver } from '../../test/scenarios/driver.js';
import { FAULTED_MACHINES, FAULTS_DEADLINE_MS, FAULTS_OFFERING_BACKOFF, RECONCILES_PER_MACHINE_BOUND, faultScenario, reconcileTotal } from '../../test/scenarios/fault-scenario.js';
import type { Manifest } from '../../test/scenarios/manifests.js';
import { buildScenarios, type Scenario } from '../../test/scenarios/scenarios.js';
import { openFileStore, type FileStore } from '../../runtime/store/file/index.js';
import { runPolyfleet, startPolyfleet, type BackgroundPolyfleet } from '../testing/cli-process.js';

const DEADLINE_MS = 90_000;

/** One `polyfleet run` on its own state and sim dir, driven only through other polyfleet commands. */
class FileCliDriver implements ScenarioDriver {
  // Made by start(), so a describe that jest filters out leaves no temp dir behind.
  dir = '';
  simDir = '';
  private run: BackgroundPolyfleet | undefined;
  private applied = 0;
  private store: FileStore | undefined;

  start(flags: readonly string[] = []): void {
    this.dir = mkdtempSync(join(tmpdir(), 'polyfleet-scenarios-'));
    this.simDir = join(this.dir, 'sim');
    this.run = startPolyfleet(this.dir, ['run', '--port', '0', '--sim-dir', this.simDir, ...flags]);
  }

  async metricsUrl(): Promise<string> {
    const pattern = /serving (http:\/\/127\.0\.0\.1:\d+\/metrics)/;
    const out = await pollUntil(() => Promise.resolve(this.run?.stdout() ?? ''), (s) => pattern.test(s), 'polyfleet run to serve /metrics', DEADLINE_MS, () => this.diagnostics());
    return pattern.exec(out)?.[1] ?? '';
  }

  async stop(): Promise<void> {
    await this.store?.close();
    this.run?.child.kill('SIGKILL');
    await this.run?.exited;
    if (this.dir !== '') rmSync(this.dir, { recursive: true, force: true });
  }

  apply(manifests: readonly Manifest[]): Promise<void> {
    const file = join(this.dir, `manifests-${++this.applied}.yaml`);
    writeFileSync(file, manifests.map((m) => stringify(m)).join('---\n'));
    const r = runPolyfleet(this.dir, ['apply', '-f', file]);
    if (r.status !== 0) throw new Error(`polyfleet apply -f ${file} exited ${r.status}: ${r.stderr}`);
    return Promise.resolve();
  }

  view(pool: string): Promise<{ pool: NodePool | undefined; machines: Machine[] }> {
    const got = runPolyfleet(this.dir, ['get', 'nodepool', pool, '-o', 'json']);
    const machines = runPolyfleet(this.dir, ['get', 'machines', '-l', `${LABEL_POOL}=${pool}`, '-o', 'json']);
    if (machines.status !== 0) throw new Error(`polyfleet get machines exited ${machines.status}: ${machines.stderr}`);
    return Promise.resolve({
      pool: got.status === 0 ? (JSON.parse(got.stdout) as NodePool) : undefined,
      machines: (JSON.parse(machines.stdout) as { items: Machine[] }).items,
    });
  }

  /** The state file read in this process: a spawned `polyfleet get` per poll would starve the controller of CPU. */
  async poll(pool: string): Promise<{ pool: NodePool | undefined; machines: Machine[] }> {
    this.store ??= await openFileStore({ path: join(this.dir, '.polyfleet/state.jsonl'), readOnly: true, logger: pino({ level: 'silent' }) });
    await this.store.refresh();
    return {
      pool: await this.store.get('NodePool', { namespace: 'default', name: pool }),
      machines: await this.store.list('Machine', { namespace: 'default', labelSelector: `${LABEL_POOL}=${pool}` }),
    };
  }

  addFault(flags: readonly string[]): void {
    const r = runPolyfleet(this.dir, ['sim', 'faults', '--dir', this.simDir, ...flags]);
    if (r.status !== 0) throw new Error(`polyfleet sim faults ${flags.join(' ')} exited ${r.status}: ${r.stderr}`);
  }

  diagnostics(): string {
    return `polyfleet run stdout:\n${this.run?.stdout() ?? ''}\nstderr:\n${this.run?.stderr() ?? ''}`;
  }
}

describe('the behaviour matrix on the file store, through the CLI', () => {
  const driver = new FileCliDriver();
  let scenarios: Scenario[] = [];

  beforeAll(async () => {
    driver.start();
    scenarios = await buildScenarios(driver.simDir);
  });

  afterAll(() => driver.stop());

  it('runs every scenario of the table against one polyfleet run', async () => {
    // Applied together so the pools converge side by side, then each checked on its own.
    for (const s of scenarios) await addFaults(driver, s.steps[0]?.faults ?? [], s.steps[0]?.faultRules ?? []);
    await driver.apply(scenarios.flatMap((s) => s.steps[0]?.manifests ?? []));
    for (const s of scenarios) await runScenario(driver, s, DEADLINE_MS, true);
    expect(scenarios.length).toBeGreaterThan(8);
  }, DEADLINE_MS * 3);
});

describe('faults on the file store, through the CLI', () => {
  const driver = new FileCliDriver();

  beforeAll(() => { driver.start(['--offering-backoff', FAULTS_OFFERING_BACKOFF]); });
  afterAll(() => driver.stop());

  it(`converges with 30 % of sim calls failing, within ${RECONCILES_PER_MACHINE_BOUND} reconciles a Machine`, async () => {
    const metrics = await driver.metricsUrl();
    const startedMs = Date.now();
    await runScenario(driver, faultScenario(), FAULTS_DEADLINE_MS);
    const total = await reconcileTotal(metrics);
    process.stdout.write(`faults (file store): ${total} reconciles for ${FAULTED_MACHINES} Machines, converged in ${((Date.now() - startedMs) / 1000).toFixed(0)} s\n`);
    expect(total).toBeGreaterThan(0);
    expect(total).toBeLessThan(RECONCILES_PER_MACHINE_BOUND * FAULTED_MACHINES);
  }, FAULTS_DEADLINE_MS + 60_000);
});
