import { upsertRule, readFaultRules, writeFaultRules, type FaultRule } from '../../providers/sim/index.js';
import type { Manifest } from './manifests.js';
import type { PoolView, Scenario } from './scenarios.js';

/** How a backend is driven and read, as a user would: the CLI on a state file, or kubectl on a cluster. */
export interface ScenarioDriver {
  /** The sim dir the controller uses. */
  readonly simDir: string;
  apply(manifests: readonly Manifest[]): Promise<void>;
  /** What the user's command prints (`polyfleet get -o json`, `kubectl get -o json`): what a step verifies. */
  view(pool: string): Promise<PoolView>;
  /** The same objects as cheaply as the backend allows, for polling until a step settles. */
  poll(pool: string): Promise<PoolView>;
  /** `polyfleet sim faults` with these flags, on the controller's sim dir. */
  addFault(flags: readonly string[]): void;
  /** Says what the controller printed, for a timeout message. */
  diagnostics(): string;
}

/** Polls `read` until `done` holds; fails naming `what`, the last value and the driver's diagnostics. */
export async function pollUntil<T>(read: () => Promise<T>, done: (v: T) => boolean, what: string, deadlineMs: number, diagnostics: () => string): Promise<T> {
  const deadline = Date.now() + deadlineMs;
  for (;;) {
    const value = await read();
    if (done(value)) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; last saw ${JSON.stringify(value)}\n${diagnostics()}`);
    // Each read spawns CLI processes that share the cores with the controller under test.
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}

/**
 * Applies each step (faults first), waits for it to settle, then runs its assertions.
 * `firstStepApplied`: the caller applied the first step of every scenario at once.
 */
export async function runScenario(driver: ScenarioDriver, scenario: Scenario, deadlineMs: number, firstStepApplied = false): Promise<void> {
  for (const [index, step] of scenario.steps.entries()) {
    if (index > 0 || !firstStepApplied) {
      await addFaults(driver, step.faults ?? [], step.faultRules ?? []);
      await driver.apply(step.manifests);
    }
    await pollUntil(() => driver.poll(scenario.pool), step.settled, `${scenario.pool}: ${step.awaiting}`, deadlineMs, () => driver.diagnostics());
    const view = await driver.view(scenario.pool);
    if (!step.settled(view)) throw new Error(`${scenario.pool}: settled when polled, not as the user's command shows it: ${JSON.stringify(view)}`);
    step.verify(view);
  }
}

/**
 * Few rules go through `polyfleet sim faults` as a user adds them; a batch goes into faults.json in
 * one write with the code that command runs, since a CLI process per rule costs seconds on a
 * loaded machine and the command itself is tested in cli/sim.
 */
export async function addFaults(driver: ScenarioDriver, flags: readonly (readonly string[])[], rules: readonly FaultRule[]): Promise<void> {
  for (const f of flags) driver.addFault(f);
  if (rules.length > 0) await writeFaultRules(driver.simDir, rules.reduce(upsertRule, await readFaultRules(driver.simDir)));
}
