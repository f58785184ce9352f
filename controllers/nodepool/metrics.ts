// Per-pool gauges, set from the status each reconcile computes: what the dashboards and alerts
// (charts/polyfleet/dashboards, files/prometheus-rules.yaml) read. Labels name the namespace and
// the pool only — never a Machine or an instance, whose names come and go with every replacement.
// Only the leader reconciles (a replica that loses its Lease exits), so only it reports them.

import { Gauge, type Registry } from 'prom-client';
import { MACHINE_PHASES, moneyToMicros, type NodePoolStatus } from '../../api/index.js';
import type { ObjectKey } from '../../runtime/store/index.js';
import type { PoolMachine } from './pool-machines.js';

export interface PoolMetrics {
  /** The pool's status as this reconcile computed it, and the Machines it saw. */
  observe(key: ObjectKey, status: NodePoolStatus, machines: readonly PoolMachine[]): void;
  /** The pool is gone: its series go too. */
  forget(key: ObjectKey): void;
}

export const noPoolMetrics: PoolMetrics = { observe() {}, forget() {} };

const CONDITION_STATUSES = ['True', 'False', 'Unknown'] as const;

/** What one pool's series say: kept once per pool, turned into samples only when scraped. */
interface PoolSample {
  readonly namespace: string;
  readonly nodepool: string;
  /** [type, status] of each condition, in the status's order. */
  readonly conditions: readonly (readonly [string, string])[];
  /** Machines per phase, in MACHINE_PHASES order. */
  readonly phases: readonly number[];
  readonly desired: number;
  readonly costDollars: number;
}

type Labels = Record<string, string>;

/**
 * A gauge whose samples are made from the pools' records when it is scraped. prom-client's own
 * Gauge keeps a labels object and a hash string per series — 25 series a pool, ~10 MB at 1,000
 * pools, held between scrapes for values every reconcile already has.
 */
class PoolGauge extends Gauge {
  constructor(
    config: { name: string; help: string; labelNames: readonly string[]; registers: Registry[] },
    private readonly samples: () => Iterable<{ labels: Labels; value: number }>,
  ) {
    super(config);
  }

  /** The base's answer (name, help, type; no values: `set` is never called) with the pools' samples. */
  override async get(): ReturnType<Gauge['get']> {
    return { ...(await super.get()), values: [...this.samples()] };
  }
}

/**
 * polyfleet_nodepool_condition{namespace,nodepool,type,status} (1 for the condition's status, 0
 * for the other two, as kube-state-metrics shows conditions), polyfleet_nodepool_machines
 * {namespace,nodepool,phase}, polyfleet_nodepool_desired_machines{namespace,nodepool} and
 * polyfleet_nodepool_hourly_cost_dollars{namespace,nodepool}.
 */
export function registerPoolMetrics(registry: Registry): PoolMetrics {
  const pools = new Map<string, PoolSample>();
  const pool = (p: PoolSample): Labels => ({ namespace: p.namespace, nodepool: p.nodepool });
  const each = function* <T>(per: (p: PoolSample) => Iterable<T>): Iterable<T> {
    for (const p of pools.values()) yield* per(p);
  };
  const registers = [registry];
  new PoolGauge(
    {
      name: 'polyfleet_nodepool_condition',
      help: 'A NodePool condition (Ready, Progressing, Degraded, BudgetExceeded, InvalidSpec, RemediationPaused): 1 for its current status (True, False or Unknown), 0 for the others.',
      labelNames: ['namespace', 'nodepool', 'type', 'status'],
      registers,
    },
    () => each((p) => p.conditions.flatMap(([type, current]) => CONDITION_STATUSES.map((status) => ({ labels: { ...pool(p), type, status }, value: current === status ? 1 : 0 })))),
  );
  new PoolGauge(
    {
      name: 'polyfleet_nodepool_machines',
      help: 'Machines of a NodePool by phase (Pending, Provisioning, Running, Failed, Terminating; a Machine being deleted counts as Terminating).',
      labelNames: ['namespace', 'nodepool', 'phase'],
      registers,
    },
    () => each((p) => MACHINE_PHASES.map((phase, i) => ({ labels: { ...pool(p), phase }, value: p.phases[i] ?? 0 }))),
  );
  new PoolGauge(
    { name: 'polyfleet_nodepool_desired_machines', help: 'Machines a NodePool wants: spec.replicas with its redundancy applied.', labelNames: ['namespace', 'nodepool'], registers },
    () => each((p) => [{ labels: pool(p), value: p.desired }]),
  );
  new PoolGauge(
    { name: 'polyfleet_nodepool_hourly_cost_dollars', help: 'What the Running Machines of a NodePool cost per hour together (status.hourlyCost).', labelNames: ['namespace', 'nodepool'], registers },
    () => each((p) => [{ labels: pool(p), value: p.costDollars }]),
  );
  const id = (key: ObjectKey): string => `${key.namespace}/${key.name}`;
  return {
    observe(key, status, poolMachines) {
      const phases = MACHINE_PHASES.map(() => 0);
      for (const m of poolMachines) {
        const phase = m.metadata.deletionTimestamp !== undefined ? 'Terminating' : (m.status?.phase ?? 'Pending');
        const i = MACHINE_PHASES.indexOf(phase);
        if (i >= 0) phases[i] = (phases[i] ?? 0) + 1;
      }
      pools.set(id(key), {
        namespace: key.namespace,
        nodepool: key.name,
        conditions: (status.conditions ?? []).map((c) => [c.type, c.status] as const),
        phases,
        desired: status.desiredReplicas ?? 0,
        costDollars: moneyToMicros(status.hourlyCost ?? '0') / 1e6,
      });
    },
    forget(key) {
      pools.delete(id(key));
    },
  };
}
