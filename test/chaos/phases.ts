import type { ChaosContext } from './chaos-context.js';
import { ALL_REGIONS, POOL, STRATEGY, strategyYaml } from './manifests.js';

/** A step of a phase: something a person does to the installations or the cloud. */
type Step = (c: ChaosContext) => Promise<void>;

/** One phase of the run: its steps, with the phase's kills spread between them; `after` once they are all done. */
export interface Phase {
  readonly name: string;
  readonly steps: readonly Step[];
  readonly after?: Step;
}

/** The region taken out of the Strategy in the region phase: the cheapest, so the pools are in it. */
const REMOVED_REGION = ALL_REGIONS[0];
const KEPT_REGIONS = ALL_REGIONS.filter((r) => r !== REMOVED_REGION);
/** How long after boot instances of the dying offering die. */
const DIE_AFTER_MS = 300;
/** Calls failing in the fault phase, each op at this rate with a seeded kind. */
const FAULT_RATE = 0.3;
const FAULT_OPS = ['get', 'list', 'create', 'delete'] as const;

const both = (c: ChaosContext, step: (m: ChaosContext['members'][number]) => Promise<void>): Promise<void> =>
  Promise.all(c.members.map(step)).then(() => undefined);

const scaleBoth = (a: number, b: number): Step => async (c) => {
  const [ma, mb] = c.members;
  if (ma === undefined || mb === undefined) throw new Error('the chaos run has two installations');
  await Promise.all([c.scale(ma, a), c.scale(mb, b)]);
};

const applyStrategy = (regions: readonly string[]): Step => async (c) => {
  await both(c, (m) => m.installation.apply({ 'strategy.yaml': strategyYaml(regions) }));
  c.regions = regions;
  c.log(`Strategy applied in both installations with regions ${regions.join(', ')}`);
};

const deleteStrategy: Step = async (c) => {
  await both(c, async (m) => {
    await m.installation.cli(['delete', 'strategy', STRATEGY]);
  });
  c.log('Strategy deleted in both installations');
};

const stopOne: Step = async (c) => {
  const victim = await c.pickRunningInstance();
  if (victim !== undefined) await c.stopInstance(victim);
};

/**
 * Instances of one offering in use (a running instance's account, zone and type) die at boot from
 * now on, and that instance is stopped: its Machine's replacement goes to the same slot's domain,
 * so the dying offering is met at once, until the Machine controller backs it off.
 */
const dieAtBoot: Step = async (c) => {
  const victim = await c.pickRunningInstance();
  if (victim === undefined) return;
  const { account, region, zone, instanceType } = victim;
  const filters = ['--account', account, '--region', region, '--zone', zone, '--instance-type', instanceType];
  await c.sim(['faults', '--op', 'create', '--kind', 'die', '--rate', '1', '--after-ms', DIE_AFTER_MS.toString(), ...filters]);
  c.log(`instances of ${account}/${zone}/${instanceType} now die ${DIE_AFTER_MS.toString()} ms after boot`);
  await c.stopInstance(victim);
};

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

/**
 * The run's phases in order. Pool sizes move so every phase has Machines to create or delete; the
 * two installations differ in size, remediation and disruption so their pools are never alike.
 */
export function phases(stops: number): Phase[] {
  return [
    { name: 'scale-up', steps: [scaleBoth(9, 8)] },
    { name: 'scale-down', steps: [scaleBoth(5, 4)] },
    { name: 'strategy-recreate', steps: [deleteStrategy, applyStrategy(ALL_REGIONS)] },
    { name: 'region-removal', steps: [applyStrategy(KEPT_REGIONS)] },
    { name: 'stopped-instances', steps: Array.from({ length: stops }, () => stopOne) },
    { name: 'die-at-boot', steps: [dieAtBoot, scaleBoth(7, 6)], after: faultsOff },
    { name: 'provider-faults', steps: [providerFaults, scaleBoth(6, 5), stopOne], after: faultsOff },
    { name: 'pool-deletion', steps: [deleteOnePool] },
  ];
}
