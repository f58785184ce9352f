// Which of a pool's Machines stay and which go: scale-down, failures, duplicates of a slot, and
// Machines in drained domains, the last paced by disruption.maxUnavailable.

import type { PoolMachine as Machine } from './pool-machines.js';

/**
 * `failed`: its instance failed, stopped or vanished (counted against the remediation limit);
 * `createFailed`: its create was refused (capacity, quota...), so no instance ever ran: replacing it
 * is how a pool falls back to the next offering, which the refused one's back-off already paces.
 */
export type DeleteReason = 'scaleDown' | 'failed' | 'createFailed' | 'duplicate' | 'drained';

/** How many Machines the pool may still replace now (remediation.maxUnhealthy over its window). */
export type ReplaceBudget = number;

export interface PlannedDelete {
  readonly machine: Machine;
  readonly reason: DeleteReason;
}

export interface MachineReview {
  /** The Machine that fills each slot below the desired count and stays. */
  readonly kept: ReadonlyMap<number, Machine>;
  /** Highest slot first, so a crash halfway through a scale-down always leaves the lowest slots. */
  readonly deletes: readonly PlannedDelete[];
  /** Machines already being deleted (their finalizers terminate the instances). */
  readonly terminating: readonly Machine[];
  /** Failed Machines left in their slots, past the replace budget: remediation is paused for them. */
  readonly held: readonly Machine[];
}

export interface ReviewInput {
  readonly machines: readonly Machine[];
  readonly desired: number;
  readonly maxUnavailable: number;
  /** True if the Machine's domain is drained (weight 0, or its account or region left the Strategy) and it should move. */
  readonly isDrained: (machine: Machine) => boolean;
  /** How many failed Machines may be replaced now; the others stay, failed, in their slots. */
  readonly replaceBudget: ReplaceBudget;
}

export function reviewMachines(input: ReviewInput): MachineReview {
  const terminating = input.machines.filter(isTerminating);
  const deletes: PlannedDelete[] = [];
  const bySlot = new Map<number, Machine[]>();
  const failed: Machine[] = [];
  for (const machine of input.machines.filter((m) => !isTerminating(m))) {
    if (machine.spec.slot >= input.desired) deletes.push({ machine, reason: 'scaleDown' });
    else if (machine.status?.phase === 'Failed') failed.push(machine);
    else bySlot.set(machine.spec.slot, [...(bySlot.get(machine.spec.slot) ?? []), machine]);
  }
  // Lowest slots first, as creates fill them; a failed Machine past the budget keeps its slot, so
  // nothing is created for it either until remediation goes on.
  const held: Machine[] = [];
  let replacing = 0;
  for (const machine of failed.sort((a, b) => a.spec.slot - b.spec.slot)) {
    if (bySlot.has(machine.spec.slot)) {
      // Another Machine serves the slot: this one goes without a replacement.
      deletes.push({ machine, reason: 'duplicate' });
    } else if (machine.status?.instanceId === undefined) {
      deletes.push({ machine, reason: 'createFailed' });
    } else if (replacing < input.replaceBudget) {
      replacing++;
      deletes.push({ machine, reason: 'failed' });
    } else {
      held.push(machine);
      bySlot.set(machine.spec.slot, [machine]);
    }
  }
  const kept = new Map<number, Machine>();
  for (const [slot, machines] of bySlot) {
    const [oldest, ...younger] = [...machines].sort(byAge);
    if (oldest !== undefined) kept.set(slot, oldest);
    deletes.push(...younger.map((machine) => ({ machine, reason: 'duplicate' as const })));
  }
  deletes.push(...drainedToMove(kept, input));
  for (const d of deletes) if (d.reason === 'drained') kept.delete(d.machine.spec.slot);
  deletes.sort((a, b) => b.machine.spec.slot - a.machine.spec.slot);
  return { kept, deletes, terminating, held };
}

/**
 * Break before make: a drained Machine that is not Running serves nothing and goes at once; a
 * Running one goes only while fewer than maxUnavailable slots wait for a Running Machine.
 */
function drainedToMove(kept: ReadonlyMap<number, Machine>, input: ReviewInput): PlannedDelete[] {
  let unavailable = 0;
  for (let slot = 0; slot < input.desired; slot++) if (kept.get(slot)?.status?.phase !== 'Running') unavailable++;
  const drained = [...kept.values()].filter(input.isDrained).sort((a, b) => b.spec.slot - a.spec.slot);
  const moves: PlannedDelete[] = [];
  for (const machine of drained) {
    const running = machine.status?.phase === 'Running';
    if (running && unavailable >= input.maxUnavailable) continue;
    if (running) unavailable++;
    moves.push({ machine, reason: 'drained' });
  }
  return moves;
}

export function isTerminating(machine: Machine): boolean {
  return machine.metadata.deletionTimestamp !== undefined;
}

/** Oldest first; the name breaks ties of one second so every replica keeps the same Machine. */
function byAge(a: Machine, b: Machine): number {
  const at = a.metadata.creationTimestamp ?? '';
  const bt = b.metadata.creationTimestamp ?? '';
  if (at !== bt) return at < bt ? -1 : 1;
  return a.metadata.name < b.metadata.name ? -1 : a.metadata.name > b.metadata.name ? 1 : 0;
}
