import { ConditionType, desiredMachineCount, type Condition, type Machine, type MachineStatus, type NodePool, type NodePoolStatus, type PlannedNode, type Strategy } from '../api/index.js';
import { DEFAULT_NAMESPACE } from '../runtime/store/index.js';
import { conditionInWords } from './condition-words.js';
import { funnelView, type FunnelView } from './funnel-view.js';

/** A condition as the page shows it: metav1.Condition's fields and a sentence saying what it means. */
export type ConditionView = Pick<Condition, 'type' | 'status' | 'reason' | 'message' | 'lastTransitionTime'> & { readonly words: string };

/** What the pages show of a NodePool: counts, cost, flags and conditions in words (never its template). */
export interface PoolView {
  readonly namespace: string;
  readonly name: string;
  readonly strategy: string;
  /** Absent: every Machine goes to the single best offering. */
  readonly placementRule: string | undefined;
  /** spec.replicas, what scaling sets (desired is it with redundancy applied). */
  readonly replicas: number;
  readonly desired: number;
  readonly ready: number;
  readonly hourlyCost: NonNullable<NodePool['status']>['hourlyCost'];
  readonly paused: boolean;
  readonly dryRun: boolean;
  readonly deleting: boolean;
  readonly conditions: readonly ConditionView[];
  /** Machines and Running ones per failure-domain path, against the domain's share of the desired slots. */
  readonly domains: NonNullable<NodePoolStatus['domains']>;
  /** A dry run's plan: where each slot would go and what it would cost. */
  readonly plan: readonly PlannedNode[] | undefined;
}

type Phase = NonNullable<MachineStatus['phase']>;

/** One row of the Machines table: where it is, what it costs, how it is doing (never user data or credentials). */
export interface MachineView {
  readonly namespace: string;
  readonly name: string;
  readonly pool: string;
  readonly slot: number;
  /** Terminating once deletion began, Pending before a status was written. */
  readonly phase: Phase;
  readonly provider: string;
  readonly region: string;
  readonly zone: string;
  readonly instanceType: string;
  readonly hourlyPrice: MachineStatus['hourlyPrice'];
  readonly instanceId: MachineStatus['instanceId'];
  readonly createdAt: MachineStatus['createdAt'];
  /** When it turned Running (its Ready condition's transition): with createdAt, how long a create takes. */
  readonly runningSince: string | undefined;
  readonly placement: MachineStatus['placement'];
  readonly failure: string | undefined;
}

/** What the pages need of a Strategy: the pool's budget, and how its filters narrowed the offerings. */
export interface StrategyView {
  readonly namespace: string;
  readonly name: string;
  readonly maxHourlyTotal: NonNullable<Strategy['spec']['budget']>['maxHourlyTotal'];
  readonly offeringCount: number | undefined;
  /** Absent until the controller resolved the Strategy. */
  readonly funnel: FunnelView | undefined;
}

export function poolView(pool: NodePool): PoolView {
  const { metadata, spec, status } = pool;
  return {
    namespace: metadata.namespace ?? DEFAULT_NAMESPACE,
    name: metadata.name,
    strategy: spec.strategyRef.name,
    placementRule: spec.placementRuleRef?.name,
    replicas: spec.replicas,
    desired: status?.desiredReplicas ?? desiredMachineCount(spec.replicas, spec.redundancy),
    ready: status?.readyReplicas ?? 0,
    hourlyCost: status?.hourlyCost,
    paused: spec.paused,
    dryRun: spec.dryRun,
    deleting: metadata.deletionTimestamp !== undefined,
    conditions: (status?.conditions ?? []).map((c) => ({
      type: c.type,
      status: c.status,
      reason: c.reason,
      message: c.message,
      lastTransitionTime: c.lastTransitionTime,
      words: conditionInWords(c),
    })),
    domains: status?.domains ?? [],
    plan: spec.dryRun ? (status?.plan ?? []) : undefined,
  };
}

export function machineView(machine: Machine): MachineView {
  const { metadata, spec, status } = machine;
  return {
    namespace: metadata.namespace ?? DEFAULT_NAMESPACE,
    name: metadata.name,
    pool: spec.pool,
    slot: spec.slot,
    phase: metadata.deletionTimestamp !== undefined ? 'Terminating' : (status?.phase ?? 'Pending'),
    provider: spec.provider,
    region: spec.region,
    zone: spec.zone,
    instanceType: spec.instanceType,
    hourlyPrice: status?.hourlyPrice,
    instanceId: status?.instanceId,
    createdAt: status?.createdAt,
    runningSince: status?.phase === 'Running' ? status.conditions?.find((c) => c.type === ConditionType.Ready && c.status === 'True')?.lastTransitionTime : undefined,
    placement: status?.placement,
    failure: status?.failureReason === undefined ? undefined : `${status.failureReason}: ${status.failureMessage ?? ''}`.trim(),
  };
}

export function strategyView(strategy: Strategy): StrategyView {
  return {
    namespace: strategy.metadata.namespace ?? DEFAULT_NAMESPACE,
    name: strategy.metadata.name,
    maxHourlyTotal: strategy.spec.budget?.maxHourlyTotal,
    offeringCount: strategy.status?.offeringCount,
    funnel: strategy.status?.funnel === undefined ? undefined : funnelView(strategy.spec, strategy.status.funnel),
  };
}
