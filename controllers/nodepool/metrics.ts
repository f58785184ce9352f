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

/**
 * polyfleet_nodepool_condition{namespace,nodepool,type,status} (1 for the condition's status, 0
 * for the other two, as kube-state-metrics shows conditions), polyfleet_nodepool_machines
 * {namespace,nodepool,phase}, polyfleet_nodepool_desired_machines{namespace,nodepool} and
 * polyfleet_nodepool_hourly_cost_dollars{namespace,nodepool}.
 */
export function registerPoolMetrics(registry: Registry): PoolMetrics {
  const condition = new Gauge({
    name: 'polyfleet_nodepool_condition',
    help: 'A NodePool condition (Ready, Progressing, Degraded, BudgetExceeded, InvalidSpec, RemediationPaused): 1 for its current status (True, False or Unknown), 0 for the others.',
    labelNames: ['namespace', 'nodepool', 'type', 'status'] as const,
    registers: [registry],
  });
  const machines = new Gauge({
    name: 'polyfleet_nodepool_machines',
    help: 'Machines of a NodePool by phase (Pending, Provisioning, Running, Failed, Terminating; a Machine being deleted counts as Terminating).',
    labelNames: ['namespace', 'nodepool', 'phase'] as const,
    registers: [registry],
  });
  const desired = new Gauge({
    name: 'polyfleet_nodepool_desired_machines',
    help: 'Machines a NodePool wants: spec.replicas with its redundancy applied.',
    labelNames: ['namespace', 'nodepool'] as const,
    registers: [registry],
  });
  const cost = new Gauge({
    name: 'polyfleet_nodepool_hourly_cost_dollars',
    help: 'What the Running Machines of a NodePool cost per hour together (status.hourlyCost).',
    labelNames: ['namespace', 'nodepool'] as const,
    registers: [registry],
  });
  /** The condition types last reported per pool, so a type that disappears loses its series. */
  const reported = new Map<string, Set<string>>();
  const id = (key: ObjectKey): string => `${key.namespace}/${key.name}`;
  return {
    observe(key, status, poolMachines) {
      const pool = { namespace: key.namespace, nodepool: key.name };
      const types = new Set((status.conditions ?? []).map((c) => c.type));
      for (const gone of reported.get(id(key)) ?? []) {
        if (!types.has(gone)) for (const s of CONDITION_STATUSES) condition.remove({ ...pool, type: gone, status: s });
      }
      reported.set(id(key), types);
      for (const c of status.conditions ?? []) {
        for (const s of CONDITION_STATUSES) condition.set({ ...pool, type: c.type, status: s }, c.status === s ? 1 : 0);
      }
      const byPhase = new Map<string, number>(MACHINE_PHASES.map((p) => [p, 0]));
      for (const m of poolMachines) {
        const phase = m.metadata.deletionTimestamp !== undefined ? 'Terminating' : (m.status?.phase ?? 'Pending');
        byPhase.set(phase, (byPhase.get(phase) ?? 0) + 1);
      }
      for (const [phase, count] of byPhase) machines.set({ ...pool, phase }, count);
      desired.set(pool, status.desiredReplicas ?? 0);
      cost.set(pool, moneyToMicros(status.hourlyCost ?? '0') / 1e6);
    },
    forget(key) {
      const pool = { namespace: key.namespace, nodepool: key.name };
      for (const type of reported.get(id(key)) ?? []) for (const s of CONDITION_STATUSES) condition.remove({ ...pool, type, status: s });
      reported.delete(id(key));
      for (const phase of MACHINE_PHASES) machines.remove({ ...pool, phase });
      desired.remove(pool);
      cost.remove(pool);
    },
  };
}
