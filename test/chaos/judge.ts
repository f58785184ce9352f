import type { Machine } from '../../api/index.js';
import { takeSimCensus, type SimCensus } from '../../cli/testing/sim-census.js';
import type { Installation } from './installation.js';
import { desiredMachines } from './manifests.js';

/** The chaos run's figure, as printed. */
export interface ChaosCounts {
  /** Alive instances whose Machine UID is in neither state file. */
  readonly leaked: number;
  /** (Machine UID, attempt) keys with more than one instance, ever. */
  readonly duplicates: number;
  /** Instances of one installation deleted or stopped by the other (the sim's delete and stop markers' `by`). */
  readonly foreignTouched: number;
  /** Instances stopped at the end. */
  readonly stoppedLeft: number;
  /** Deleted instances whose delete marker names no caller (foreignTouched cannot judge them): 0 unless the actor is lost. */
  readonly unattributedDeletes: number;
}

export interface Judgement extends ChaosCounts {
  /** Every remaining pool at its desired Machines, all Running with one alive instance; the deleted pool empty; the sim settled. */
  readonly converged: boolean;
  /** What is not there yet, in words, for the report and the convergence wait. */
  readonly pending: readonly string[];
  readonly census: SimCensus;
}

/** What an installation's pool should be now: `replicas` of it in `regions`, or deleted. */
export type Expected = { readonly kind: 'pool'; readonly replicas: number; readonly regions: readonly string[] } | { readonly kind: 'deleted' };

/**
 * Reads both state files, then the sim, and judges. While something moves, a Machine made between
 * the two reads shows its (pending) instance as leaked; the sim is then not settled, so the figure
 * is only ever taken from a settled snapshot.
 */
export async function judge(simDir: string, installations: readonly { readonly installation: Installation; readonly expected: Expected }[]): Promise<Judgement> {
  const observed = await Promise.all(installations.map(async ({ installation, expected }) => ({ installation, expected, ...(await installation.observe()) })));
  const uids = new Set(observed.flatMap((o) => o.machines.flatMap((m) => m.metadata.uid ?? [])));
  const census = await takeSimCensus(simDir, uids);
  const withoutOne = new Map(census.machinesWithoutOneInstance.map((m) => [m.uid, m.alive]));
  const pending: string[] = [];
  for (const { installation, expected, pool, machines } of observed) {
    const alive = census.aliveByManagedBy.get(installation.identity) ?? 0;
    const name = `installation ${installation.name}`;
    if (expected.kind === 'deleted') {
      if (pool !== undefined) pending.push(`${name}: the pool still exists (deleting: ${String(pool.metadata.deletionTimestamp !== undefined)})`);
      if (machines.length > 0) pending.push(`${name}: ${machines.length.toString()} Machines of the deleted pool left`);
      if (alive > 0) pending.push(`${name}: ${alive.toString()} alive instances after its pool was deleted`);
      continue;
    }
    const desired = desiredMachines(expected.replicas);
    const notRunning = machines.filter((m) => m.status?.phase !== 'Running' || m.metadata.deletionTimestamp !== undefined);
    if (pool === undefined) pending.push(`${name}: the pool is gone`);
    if (machines.length !== desired) pending.push(`${name}: ${machines.length.toString()} Machines, ${desired.toString()} desired`);
    if (notRunning.length > 0) pending.push(`${name}: not Running yet: ${notRunning.map(describeMachine).join(', ')}`);
    const outside = machines.filter((m) => !expected.regions.includes(m.spec.region));
    if (outside.length > 0) pending.push(`${name}: Machines in a region the Strategy no longer has: ${outside.map((m) => `${m.metadata.name} (${m.spec.region})`).join(', ')}`);
    const wrong = machines.filter((m) => withoutOne.has(m.metadata.uid ?? ''));
    if (wrong.length > 0) pending.push(`${name}: Machines without exactly one alive instance: ${wrong.map((m) => `${m.metadata.name} (${String(withoutOne.get(m.metadata.uid ?? ''))})`).join(', ')}`);
    if (alive !== machines.length) pending.push(`${name}: ${alive.toString()} alive instances for ${machines.length.toString()} Machines`);
  }
  if (census.settling > 0) pending.push(`the sim has ${census.settling.toString()} instances pending, stopping or terminating`);
  return {
    leaked: census.leaked.length,
    duplicates: census.duplicates.length,
    foreignTouched: census.foreignTouched.length,
    stoppedLeft: census.stopped,
    unattributedDeletes: census.unattributedDeletes,
    converged: pending.length === 0,
    pending,
    census,
  };
}

/** Everything the figure asks for: converged, and every count zero. */
export function isClean(j: Judgement): boolean {
  return j.converged && j.leaked === 0 && j.duplicates === 0 && j.foreignTouched === 0 && j.stoppedLeft === 0;
}

function describeMachine(m: Machine): string {
  const deleting = m.metadata.deletionTimestamp === undefined ? '' : ', deleting';
  return `${m.metadata.name} (${m.status?.phase ?? 'no status'}${deleting})`;
}
