import type { Manifest } from './manifests.js';
import type { PoolView, Scenario } from './scenarios.js';

/** How a backend is driven and read, as a user would: the CLI on a state file, or kubectl on a cluster. */
export interface ScenarioDriver {
  apply(manifests: readonly Manifest[]): Promise<void>;
  view(pool: string): Promise<PoolView>;
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
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

/** Applies each step (faults first), waits for it to settle, then runs its assertions. */
export async function runScenario(driver: ScenarioDriver, scenario: Scenario, deadlineMs: number): Promise<void> {
  for (const step of scenario.steps) {
    for (const flags of step.faults ?? []) driver.addFault(flags);
    await driver.apply(step.manifests);
    const view = await pollUntil(() => driver.view(scenario.pool), step.settled, `${scenario.pool}: ${step.awaiting}`, deadlineMs, () => driver.diagnostics());
    step.verify(view);
  }
}
