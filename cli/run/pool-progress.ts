import { desiredMachineCount, MACHINE_PHASES, type Machine, type NodePool } from '../../api/index.js';
import { DEFAULT_NAMESPACE } from '../../runtime/store/index.js';

/** The phase counts shown after "running", in lifecycle order. */
const OTHER_PHASES = MACHINE_PHASES.filter((p) => p !== 'Running');

/**
 * One line about a pool, the way an operator watching a scale-out wants it:
 * "workers: 3/7 running (2 Provisioning, 2 Pending) · $0.36/h · Progressing".
 */
export function poolProgressLine(pool: NodePool, machines: readonly Machine[]): string {
  const name = poolLabel(pool.metadata.namespace, pool.metadata.name);
  const counts = new Map<string, number>();
  for (const m of machines) {
    const phase = m.metadata.deletionTimestamp !== undefined ? 'Terminating' : (m.status?.phase ?? 'Pending');
    counts.set(phase, (counts.get(phase) ?? 0) + 1);
  }
  if (pool.metadata.deletionTimestamp !== undefined) return `${name}: deleting, ${machines.length} machine${machines.length === 1 ? '' : 's'} left`;
  const desired = pool.status?.desiredReplicas ?? desiredMachineCount(pool.spec.replicas, pool.spec.redundancy);
  const others = OTHER_PHASES.flatMap((p) => ((counts.get(p) ?? 0) > 0 ? [`${counts.get(p) ?? 0} ${p}`] : []));
  const parts = [`${counts.get('Running') ?? 0}/${desired} running${others.length > 0 ? ` (${others.join(', ')})` : ''}`];
  if (pool.status?.hourlyCost !== undefined) parts.push(`$${pool.status.hourlyCost}/h`);
  const ready = pool.status?.conditions?.find((c) => c.type === 'Ready');
  if (ready !== undefined) parts.push(ready.status === 'True' ? 'Ready' : ready.reason);
  return `${name}: ${parts.join(' · ')}`;
}

export function poolDeletedLine(namespace: string | undefined, name: string): string {
  return `${poolLabel(namespace, name)}: deleted`;
}

function poolLabel(namespace: string | undefined, name: string): string {
  return namespace === undefined || namespace === DEFAULT_NAMESPACE ? name : `${namespace}/${name}`;
}
