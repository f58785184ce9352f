import type { ChaosContext } from './chaos-context.js';
import { ALL_REGIONS, POOL, STRATEGY, strategyYaml } from './manifests.js';

/** A step of a phase: something a person does to the installations or the cloud. */
type Step = (c: ChaosContext) => Promise<void>;

/**
 * One phase of the run. `steps(n)` are its n steps, run with the phase's kills spread between them
 * so that the processes are killed while they work on them; `after` runs once the phase settled.
 */
export interface Phase {
  readonly name: string;
  steps(n: number): Step[];
  readonly after?: Step;
}

/** One step per this many kills (at least one a phase): each kill then finds work in flight. */
export const KILLS_PER_STEP = 3;

/** The pool sizes (replicas, before the spare) of installations a and b at the end of each sizing phase. */
const START: Sizes = [6, 6];
const GROWN: Sizes = [12, 10];
const SHRUNK: Sizes = [4, 3];
const REGROWN: Sizes = [7, 6];
type Sizes = readonly [number, number];

/** Region lists the region phase goes through, each taking one region away; the last one stays. */
const REGION_CUTS: readonly (readonly string[])[] = [
  ALL_REGIONS.filter((r) => r !== 'na-east'),
  ALL_REGIONS.filter((r) => r !== 'eu-central'),
  ALL_REGIONS.filter((r) => r !== 'ap-northeast'),
];
const FINAL_REGIONS = REGION_CUTS[0] ?? ALL_REGIONS;
/** How long after boot instances of the dying offering die. */
const DIE_AFTER_MS = 300;
/** Calls failing in the fault phase: each op at this rate, with a seeded kind. */
const FAULT_RATE = 0.3;
const FAULT_OPS = ['get', 'list', 'create', 'delete'] as const;

/** Sets each live pool's size (a then b), applying only those that change. */
async function resize(c: ChaosContext, sizes: readonly number[]): Promise<void> {
  await Promise.all(
    c.members.map(async (m, i) => {
      const size = sizes[i];
      if (m.deleted || size === undefined || size === m.shape.replicas) return;
      await c.scale(m, size);
    }),
  );
}

/** n resizes from `from` to `to`, each a seeded 0-2 below the straight line (churn both ways), the last exactly `to`. */
const ramp = (from: Sizes, to: Sizes) => (n: number): Step[] =>
  Array.from({ length: n }, (_, i) => (c: ChaosContext) => {
    const sizes = from.map((f, j) => {
      const line = f + Math.round((((to[j] ?? f) - f) * (i + 1)) / n);
      return i === n - 1 ? line : Math.max(1, line - Math.floor(c.random() * 3));
    });
    return resize(c, sizes);
  });

const applyStrategy = (regions: readonly string[]): Step => async (c) => {
  await Promise.all(c.members.map((m) => m.installation.apply({ 'strategy.yaml': strategyYaml(regions) })));
  c.regions = regions;
  c.log(`Strategy applied in both installations with regions ${regions.join(', ')}`);
};

const deleteStrategy: Step = async (c) => {
  await Promise.all(c.members.map((m) => m.installation.cli(['delete', 'strategy', STRATEGY])));
  c.log('Strategy deleted in both installations');
};

type Where = { readonly account: string; readonly zone: string } | undefined;

/** `polyfleet sim stop` on a running instance of either installation (in that account and zone, if given). */
const stopOne = (where: () => Where = () => undefined): Step => async (c) => {
  const victim = (await c.pickRunningInstance(where())) ?? (await c.pickRunningInstance());
  if (victim !== undefined) await c.stopInstance(victim);
};

/**
 * Instances of one offering in use (a running instance's account, zone and type) die at boot from
 * now on, and that instance is stopped: its Machine's replacement goes to the same slot's domain,
 * so the dying offering is met at once, until the Machine controller backs it off (and again when
 * a kill made it forget). Later stops pick instances in that account and zone, for more of the same.
 */
function dieAtBoot(remember: (where: Where) => void): Step {
  return async (c) => {
    const victim = await c.pickRunningInstance();
    if (victim === undefined) return;
    const { account, region, zone, instanceType } = victim;
    remember({ account, zone });
    const filters = ['--account', account, '--region', region, '--zone', zone, '--instance-type', instanceType];
    await c.sim(['faults', '--op', 'create', '--kind', 'die', '--rate', '1', '--after-ms', DIE_AFTER_MS.toString(), ...filters]);
    c.log(`instances of ${account}/${zone}/${instanceType} now die ${DIE_AFTER_MS.toString()} ms after boot`);
    await c.stopInstance(victim);
  };
}

const providerFaults: Step = async (c) => {
  for (const op of FAULT_OPS) {
    const kind = c.pick(['transient', 'throttled'] as const);
    await c.sim(['faults', '--op', op, '--kind', kind, '--rate', FAULT_RATE.toString(), ...(kind === 'throttled' ? ['--retry-after-ms', '500'] : [])]);
  }
  c.log(`${(FAULT_RATE * 100).toString()} % of get, list, create and delete calls fail (transient or throttled)`);
};

const faultsOff: Step = async (c) => {
  await c.sim(['faults', '--clear']);
  c.log('faults cleared');
};

const deleteOnePool: Step = async (c) => {
  const member = c.pick(c.members);
  member.deleted = true;
  await member.installation.cli(['delete', 'nodepool', POOL]);
  c.log(`pool deleted in installation ${member.installation.name}; the other keeps its pool`);
};

/** Resizes to `around`, each pool a seeded 0-2 smaller unless `exact`. */
const jitter = (around: Sizes, exact: boolean): Step => (c) => resize(c, around.map((s) => (exact ? s : Math.max(1, s - Math.floor(c.random() * 3)))));

/** `first`, then stops and seeded resizes in turn up to n steps, then the sizes back at `around`. */
function churn(first: readonly Step[], around: Sizes, n: number): Step[] {
  const rest = Array.from({ length: Math.max(0, n - first.length) }, (_, i) => (i % 2 === 0 ? stopOne() : jitter(around, false)));
  return [...first, ...rest, jitter(around, true)];
}

/**
 * The run's phases in order, each with work in flight for its kills: pools grow and shrink in
 * seeded steps, the Strategy goes and comes back, regions are taken away one after another,
 * instances are stopped, die at boot, and meet failing calls, and one pool is deleted while the
 * other keeps changing. The two installations differ in size, remediation and disruption.
 */
export function phases(): Phase[] {
  let dying: Where;
  return [
    { name: 'scale-up', steps: ramp(START, GROWN) },
    { name: 'scale-down', steps: ramp(GROWN, SHRUNK) },
    { name: 'strategy-recreate', steps: (n) => Array.from({ length: Math.max(2, n + (n % 2)) }, (_, i) => (i % 2 === 0 ? deleteStrategy : applyStrategy(ALL_REGIONS))) },
    { name: 'region-removal', steps: (n) => Array.from({ length: n }, (_, i) => applyStrategy(i === n - 1 ? FINAL_REGIONS : (REGION_CUTS[i % REGION_CUTS.length] ?? FINAL_REGIONS))) },
    { name: 'stopped-instances', steps: (n) => Array.from({ length: n }, () => stopOne()) },
    {
      name: 'die-at-boot',
      steps: (n) => [dieAtBoot((w) => (dying = w)), ...ramp(SHRUNK, REGROWN)(1), ...Array.from({ length: Math.max(0, n - 2) }, () => stopOne(() => dying))],
      after: faultsOff,
    },
    { name: 'provider-faults', steps: (n) => churn([providerFaults, stopOne()], REGROWN, n), after: faultsOff },
    { name: 'pool-deletion', steps: (n) => churn([deleteOnePool], REGROWN, n) },
  ];
}
