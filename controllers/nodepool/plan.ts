// The pure heart of the NodePool controller: (pool, offerings, placement, back-off, Machines) → actions.

import {
  ANNOTATION_PLACEMENT,
  desiredMachineCount,
  moneyToMicros,
  type NodePoolSpec,
  type PlannedNode,
} from '../../api/index.js';
import type { CompiledPlacement, LeafDomain } from '../../placement/index.js';
import type { ResolvedOffering } from '../offerings/types.js';
import type { SupportedLevel } from '../placementrule/index.js';
import { BudgetTally, machinePriceMicros, type BudgetBlock } from './budget.js';
import { machineDomain } from './domains.js';
import { reviewMachines, type PlannedDelete } from './existing-machines.js';
import type { PickMode } from './pick.js';
import type { PoolMachine } from './pool-machines.js';
import { createSlotPlacer, type SlotPlacement } from './slot-placer.js';

export interface PlanInput {
  readonly poolUid: string;
  readonly spec: PlanSpec;
  readonly pick: PickMode;
  /** The Strategy's budget.maxHourlyTotal, if any. */
  readonly maxHourlyTotal?: string | undefined;
  readonly offerings: readonly ResolvedOffering[];
  readonly levels: readonly SupportedLevel[];
  /** Absent: no PlacementRule. */
  readonly placement?: CompiledPlacement | undefined;
  /** The leaves the placement was compiled from; weight 0 marks a drained domain. */
  readonly leaves?: readonly LeafDomain[] | undefined;
  readonly isOut: (path: string) => boolean;
  /** Every Machine the pool controls, terminating ones included. */
  readonly machines: readonly PoolMachine[];
  /** How many failed Machines may be replaced now (remediation); absent: all of them. */
  readonly replaceBudget?: number;
  /** Machines whose account or region left the Strategy: moved out like a drained domain's. */
  readonly isRetired?: (machine: PoolMachine) => boolean;
}

type PlanSpec = Pick<NodePoolSpec, 'replicas' | 'redundancy' | 'disruption'>;

export type PlannedCreate = Extract<SlotPlacement, { kind: 'placed' }>;

export interface PoolPlan {
  readonly desired: number;
  /** Slot order. */
  readonly creates: readonly PlannedCreate[];
  /** Highest slot first. */
  readonly deletes: readonly PlannedDelete[];
  /** Every slot below desired: where it is or would go (status.plan). */
  readonly nodes: readonly PlannedNode[];
  /** Slots no domain or offering could take now. */
  readonly unplaced: readonly SlotPlacement[];
  /** The first slot the budget stopped, if any. */
  readonly budgetBlock?: BudgetBlock | undefined;
  readonly terminating: readonly PoolMachine[];
  /** Failed Machines kept in their slots because the remediation limit is reached. */
  readonly held: readonly PoolMachine[];
}

export function planPool(input: PlanInput): PoolPlan {
  const desired = desiredMachineCount(input.spec.replicas, input.spec.redundancy);
  const drained = new Set((input.leaves ?? []).filter((l) => l.weight === 0).map((l) => l.path));
  const review = reviewMachines({
    machines: input.machines,
    desired,
    maxUnavailable: input.spec.disruption.maxUnavailable,
    isDrained: (m) => (input.isRetired?.(m) ?? false) || (input.placement !== undefined && drained.has(machineDomain(m, input.levels))),
    replaceBudget: input.replaceBudget ?? Number.POSITIVE_INFINITY,
  });
  const committed = [...review.kept.values()].reduce((sum, m) => sum + machinePriceMicros(m), 0);
  const cap = input.maxHourlyTotal === undefined ? undefined : moneyToMicros(input.maxHourlyTotal);
  const tally = new BudgetTally(cap, committed);
  const place = createSlotPlacer(input);
  const creates: PlannedCreate[] = [];
  const unplaced: SlotPlacement[] = [];
  const nodes: PlannedNode[] = [];
  let budgetBlock: BudgetBlock | undefined;
  for (let slot = 0; slot < desired; slot++) {
    const existing = review.kept.get(slot);
    if (existing !== undefined) {
      nodes.push(existingNode(existing));
      continue;
    }
    const placement = place(slot);
    if (placement.kind === 'unplaced') {
      unplaced.push(placement);
      nodes.push({ slot, explanation: placement.explanation });
      continue;
    }
    // Once the budget stops one slot, later (even cheaper) slots wait too: slots fill in order.
    budgetBlock ??= tally.charge(slot, moneyToMicros(placement.offering.hourlyPrice));
    if (budgetBlock === undefined) creates.push(placement);
    const suffix = budgetBlock === undefined ? '' : `; not created: ${budgetBlock.message}`;
    nodes.push({ ...plannedNode(placement), explanation: cutLine(`${placement.explanation}${suffix}`) });
  }
  return { desired, creates, deletes: review.deletes, nodes, unplaced, budgetBlock, terminating: review.terminating, held: review.held };
}

function plannedNode(p: PlannedCreate): PlannedNode {
  const { provider, region, zone, instanceType, hourlyPrice } = p.offering;
  return { slot: p.slot, domain: p.domain, provider, region, zone, instanceType, capacityType: p.offering.capacityType ?? 'on-demand', hourlyPrice, explanation: p.explanation };
}

function existingNode(m: PoolMachine): PlannedNode {
  const { slot, failureDomain: domain, provider, region, zone, instanceType } = m.spec;
  const capacityType = m.spec.capacityType ?? 'on-demand';
  const why = m.metadata.annotations?.[ANNOTATION_PLACEMENT];
  const explanation = cutLine(`kept Machine ${m.metadata.name} (${m.status?.phase ?? 'Pending'})${why === undefined ? '' : `: ${why}`}`);
  const hourlyPrice = m.status?.hourlyPrice;
  return { slot, domain, provider, region, zone, instanceType, capacityType, ...(hourlyPrice === undefined ? {} : { hourlyPrice }), explanation };
}

function cutLine(line: string): string {
  return line.length > 1024 ? `${line.slice(0, 1023)}…` : line;
}
