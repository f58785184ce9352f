import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LEAK_COLLECTED_REASON } from '../../controllers/gc/index.js';
import { seededRandom } from '../../providers/sim/random.js';
import { ChaosContext, type Member } from './chaos-context.js';
import { Installation } from './installation.js';
import { isClean, type ChaosCounts } from './judge.js';
import { ALL_REGIONS, nodePoolYaml, placementRuleYaml, STRATEGY, strategyYaml, type PoolShape } from './manifests.js';
import { KILLS_PER_STEP, phases, type Phase } from './phases.js';

export interface ChaosOptions {
  /** SIGKILLs across both `polyfleet run` processes, spread over the phases. */
  readonly kills: number;
  readonly seed: number;
  /** Progress lines (phases, kills, actions); default none. */
  readonly log?: (line: string) => void;
  /** Keep the run's directory (state files, sim dir) even when the figure is clean. It is always kept when not. */
  readonly keep?: boolean;
  /** How long the final convergence may take (default 5 min). */
  readonly convergeMs?: number;
  /** How long each phase waits, at most, for both pools to settle before the next (default 30 s). */
  readonly settleMs?: number;
}

export interface ChaosResult extends ChaosCounts {
  readonly kills: number;
  readonly converged: boolean;
  /** What was still missing for convergence when the wait ended; empty when converged. */
  readonly pending: readonly string[];
  /** Ends of `polyfleet run` the run did not cause, a wrong identity announced, a stop that hung. */
  readonly selfExits: readonly string[];
  /** Leaked instances the leak collector found and deleted (its events): leaks the figure no longer shows. */
  readonly leaksCollected: number;
  readonly instancesCreated: number;
  /** The run's directory, when kept. */
  readonly dir: string | undefined;
  readonly wallMs: number;
}

/** The leak collector's grace: the shortest polyfleet run takes, so a leak is collected within the run. */
const LEAK_GRACE = '30s';
/**
 * Installation a pauses replacing past half its pool failing within 60 s (RemediationPaused is part
 * of the chaos: stops and dying instances come in bursts); b never pauses (100 %), so a pool that
 * stalls there cannot be the remediation limit's doing. Both windows are 60 s, the API's minimum,
 * so a paused pool resumes well within the convergence bound.
 */
const SHAPES: readonly PoolShape[] = [
  { replicas: 6, maxUnhealthy: '50%', maxUnavailable: 2 },
  { replicas: 6, maxUnhealthy: '100%', maxUnavailable: 1 },
];

type Figure = ChaosCounts & { readonly kills: number; readonly converged: boolean };

/** The one line the chaos figure is. */
export function formatFigure(r: Figure): string {
  return `kills=${r.kills} leaked=${r.leaked} duplicates=${r.duplicates} foreignTouched=${r.foreignTouched} stoppedLeft=${r.stoppedLeft} converged=${r.converged}`;
}

/** Every count zero and converged. */
export function figureIsClean(r: Figure): boolean {
  return r.converged && r.leaked === 0 && r.duplicates === 0 && r.foreignTouched === 0 && r.stoppedLeft === 0 && r.kills > 0;
}

/**
 * Two installations (two state files, two `polyfleet run`) on one sim dir with the same accounts,
 * pool and Strategy names, through the phases with `kills` seeded SIGKILLs among them; then faults
 * off, both restarted, and the figure once both settle (or the bound passes).
 */
export async function runChaos(options: ChaosOptions): Promise<ChaosResult> {
  const started = Date.now();
  const root = mkdtempSync(join(tmpdir(), 'polyfleet-chaos-'));
  const simDir = join(root, 'sim');
  const sink = options.log ?? (() => undefined);
  const installations = ['a', 'b'].map((name) => new Installation({ root, name, simDir, leakGrace: LEAK_GRACE, log: sink }));
  const members: Member[] = installations.map((installation, i) => {
    const shape = SHAPES[i] ?? SHAPES[0];
    if (shape === undefined) throw new Error('no pool shape');
    return { installation, shape, deleted: false };
  });
  const c = new ChaosContext(members, root, simDir, seededRandom(options.seed), sink);
  let clean = false;
  try {
    c.log(`chaos run in ${root}, seed ${options.seed.toString()}, ${options.kills.toString()} kills`);
    await setUp(c);
    const plan = phases();
    for (const [i, phase] of plan.entries()) await runPhase(c, phase, share(options.kills, plan.length, i), options.settleMs ?? 30_000);
    const result = await finish(c, options.convergeMs ?? 300_000, started);
    clean = figureIsClean(result);
    return { ...result, dir: clean && options.keep !== true ? undefined : root };
  } finally {
    await Promise.all(installations.map((i) => i.close()));
    if (clean && options.keep !== true) rmSync(root, { recursive: true, force: true });
  }
}

async function setUp(c: ChaosContext): Promise<void> {
  await Promise.all(
    c.members.map(async ({ installation, shape }) => {
      await installation.apply({ 'strategy.yaml': strategyYaml(ALL_REGIONS), 'placementrule.yaml': placementRuleYaml(), 'nodepool.yaml': nodePoolYaml(shape) });
      installation.start();
      c.log(`installation ${installation.name} (${installation.identity}) started`);
    }),
  );
}

/** The i-th of `parts` shares of `total`, the remainder going to the first ones. */
function share(total: number, parts: number, i: number): number {
  return Math.floor(total / parts) + (i < total % parts ? 1 : 0);
}

/** Runs the phase's steps with its kills spread between them, lets the pools settle (bounded), then `after`. */
async function runPhase(c: ChaosContext, phase: Phase, kills: number, settleMs: number): Promise<void> {
  const steps = phase.steps(Math.max(1, Math.round(kills / KILLS_PER_STEP)));
  c.log(`phase ${phase.name}: ${steps.length.toString()} steps, ${kills.toString()} kills`);
  let next = 0;
  for (let k = 0; k <= kills; k++) {
    // Step i runs before kill floor(i * kills / steps): the first at once, the rest spread out.
    while (next < steps.length && Math.floor((next * kills) / steps.length) <= k) {
      const step = steps[next++];
      if (step !== undefined) await step(c);
    }
    if (k < kills) await c.killOne(phase.name);
  }
  const { reached, judgement } = await c.waitFor((j) => j.converged, settleMs);
  c.log(`phase ${phase.name} ${reached ? 'settled' : `not settled after ${(settleMs / 1000).toString()} s: ${judgement.pending.join('; ')}`}`);
  await phase.after?.(c);
}

/** Faults off, both restarted (gracefully: no kill is added), then the figure once clean or the bound passes. */
async function finish(c: ChaosContext, convergeMs: number, started: number): Promise<Omit<ChaosResult, 'dir'>> {
  await c.sim(['faults', '--clear']);
  for (const { installation } of c.members) {
    await installation.stop();
    installation.start();
  }
  c.log('faults off, both installations restarted; waiting for convergence');
  const { judgement, reached } = await c.waitFor(isClean, convergeMs);
  c.log(reached ? 'converged' : `not converged within ${(convergeMs / 1000).toString()} s: ${judgement.pending.join('; ')}`);
  const collected = await Promise.all(c.members.map((m) => m.installation.eventCount('Strategy', STRATEGY, LEAK_COLLECTED_REASON)));
  return {
    kills: c.kills,
    leaked: judgement.leaked,
    duplicates: judgement.duplicates,
    foreignTouched: judgement.foreignTouched,
    stoppedLeft: judgement.stoppedLeft,
    unattributedDeletes: judgement.unattributedDeletes,
    converged: judgement.converged,
    pending: judgement.pending,
    selfExits: c.members.flatMap((m) => m.installation.selfExits),
    leaksCollected: collected.reduce((a, b) => a + b, 0),
    instancesCreated: judgement.census.created,
    wallMs: Date.now() - started,
  };
}
