import { TAG_MANAGED_BY } from '../../providers/index.js';
import { listAllInstanceFiles, observeForRetry } from '../../providers/sim/index.js';
import type { SimInstanceFiles } from '../../providers/sim/index.js';

/** What the sim holds, judged against the Machines that exist: the figures a crash-safety test asserts. */
export interface SimCensus {
  /** Every instance ever created, terminated and vanished ones included. */
  readonly created: number;
  /** Instances not terminated (pending, running, stopping, stopped, terminating, failed). */
  readonly alive: number;
  /** Instances pending, stopping or terminating: the sim has not settled yet. */
  readonly settling: number;
  /** Instances stopped (counted in alive too): they exist and bill until deleted. */
  readonly stopped: number;
  /** Live Machines without exactly one alive instance, with how many they have. */
  readonly machinesWithoutOneInstance: readonly { readonly uid: string; readonly alive: number }[];
  /** Alive instances whose Machine does not exist. */
  readonly leaked: readonly string[];
  /** (Machine UID, attempt) keys that got more than one instance, terminated or not. */
  readonly duplicates: readonly string[];
  /**
   * Instances one installation deleted or stopped although another's managed-by tag is on them: the
   * delete or stop marker's `by` (the caller's identity, SimProviderOptions.actor) is not the
   * instance's managed-by tag. A marker without `by` (a caller without an identity, `polyfleet sim
   * stop`) is no one's.
   */
  readonly foreignTouched: readonly string[];
  /** Alive instances per managed-by tag (an untagged one under ""). */
  readonly aliveByManagedBy: ReadonlyMap<string, number>;
  /** Deleted instances whose delete marker names no caller: foreignTouched cannot see those. */
  readonly unattributedDeletes: number;
}

export async function takeSimCensus(simDir: string, machineUids: ReadonlySet<string>): Promise<SimCensus> {
  const now = new Date();
  const records = await listAllInstanceFiles(simDir);
  const alivePerMachine = new Map<string, number>();
  const perAttempt = new Map<string, number>();
  const leaked: string[] = [];
  const foreignTouched: string[] = [];
  const aliveByManagedBy = new Map<string, number>();
  let alive = 0;
  let settling = 0;
  let stopped = 0;
  let unattributedDeletes = 0;
  for (const files of records) {
    const { id, machineUid, attempt } = files.record;
    const key = `${machineUid}#${attempt.toString()}`;
    perAttempt.set(key, (perAttempt.get(key) ?? 0) + 1);
    if (touchedByAnother(files)) foreignTouched.push(id);
    if (files.deleted !== undefined && files.deleted.by === undefined) unattributedDeletes++;
    const { state } = observeForRetry(files, now);
    if (state === 'pending' || state === 'stopping' || state === 'terminating') settling++;
    if (state === 'stopped') stopped++;
    if (state === 'terminated') continue;
    alive++;
    const managedBy = files.record.tags[TAG_MANAGED_BY] ?? '';
    aliveByManagedBy.set(managedBy, (aliveByManagedBy.get(managedBy) ?? 0) + 1);
    if (machineUids.has(machineUid)) alivePerMachine.set(machineUid, (alivePerMachine.get(machineUid) ?? 0) + 1);
    else leaked.push(id);
  }
  return {
    created: records.length,
    alive,
    settling,
    stopped,
    machinesWithoutOneInstance: [...machineUids].map((uid) => ({ uid, alive: alivePerMachine.get(uid) ?? 0 })).filter((m) => m.alive !== 1),
    leaked,
    duplicates: [...perAttempt].filter(([, n]) => n > 1).map(([key]) => key),
    foreignTouched,
    aliveByManagedBy,
    unattributedDeletes,
  };
}

function touchedByAnother({ record, deleted, stopped }: SimInstanceFiles): boolean {
  const owner = record.tags[TAG_MANAGED_BY];
  return [deleted?.by, stopped?.by].some((by) => by !== undefined && by !== owner);
}
