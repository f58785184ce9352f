import { ANNOTATION_PLACEMENT, desiredMachineCount, type Machine, type NodePool } from '../../api/index.js';
import type { StoredEvent } from '../../runtime/events/index.js';
import { humanDuration } from '../get/human-duration.js';
import { textTable } from '../shared/text-table.js';
import { conditionsTable, section } from './sections.js';

export interface NodePoolFacts {
  readonly pool: NodePool;
  readonly machines: readonly Machine[];
  readonly events: readonly StoredEvent[];
  readonly now: Date;
}

/** What `kubectl describe nodepool` would print: spec, status, conditions, Machines with their placement, events. */
export function describeNodePool({ pool, machines, events, now }: NodePoolFacts): string {
  const { spec, status, metadata } = pool;
  const age = (t: string | undefined) => (t === undefined ? '<unknown>' : humanDuration(now.getTime() - Date.parse(t)));
  const desired = status?.desiredReplicas ?? desiredMachineCount(spec.replicas, spec.redundancy);
  const fields: [string, string][] = [
    ['Name', metadata.name],
    ['Namespace', metadata.namespace ?? 'default'],
    ['Created', `${metadata.creationTimestamp ?? '<unknown>'} (${age(metadata.creationTimestamp)} ago)`],
    ...(metadata.deletionTimestamp === undefined ? [] : [['Deleting since', metadata.deletionTimestamp] as [string, string]]),
    ['Strategy', spec.strategyRef.name],
    ['PlacementRule', spec.placementRuleRef?.name ?? '<none: every node on the best offering>'],
    ['Replicas', `${spec.replicas}, redundancy ${spec.redundancy}: ${desired} Machines desired`],
    ['Max unavailable', String(spec.disruption.maxUnavailable)],
    ['Ready timeout', `${spec.readyTimeoutSeconds}s`],
    ['Paused', String(spec.paused)],
    ['Dry run', String(spec.dryRun)],
    ['Machines', `${status?.readyReplicas ?? 0} ready of ${status?.replicas ?? machines.length}`],
    ['Hourly cost', status?.hourlyCost === undefined ? '<unknown>' : `$${status.hourlyCost}`],
  ];
  const width = Math.max(...fields.map(([k]) => k.length)) + 2;
  return [
    fields.map(([k, v]) => `${`${k}:`.padEnd(width)}${v}\n`).join(''),
    section('Conditions', conditionsTable(status?.conditions ?? [])),
    section('Domains', (status?.domains ?? []).length === 0 ? '' : textTable(['DOMAIN', 'MACHINES', 'READY'], (status?.domains ?? []).map((d) => [d.domain, String(d.replicas), String(d.readyReplicas)]), '  ')),
    ...(spec.dryRun ? [section('Plan', planTable(pool))] : []),
    section('Machines', machinesTable(machines)),
    section('Events', eventsTable(events, now)),
  ].join('');
}

function planTable(pool: NodePool): string {
  const plan = pool.status?.plan ?? [];
  if (plan.length === 0) return '';
  return textTable(
    ['SLOT', 'DOMAIN', 'TYPE', 'CAPACITY', 'PRICE/H', 'EXPLANATION'],
    plan.map((p) => [String(p.slot), p.domain ?? '<none>', p.instanceType ?? '', p.capacityType ?? '', p.hourlyPrice === undefined ? '' : `$${p.hourlyPrice}`, p.explanation]),
    '  ',
  );
}

/** One row per Machine by slot, and its placement explanation on the line below. */
function machinesTable(machines: readonly Machine[]): string {
  if (machines.length === 0) return '';
  const sorted = [...machines].sort((a, b) => a.spec.slot - b.spec.slot || a.metadata.name.localeCompare(b.metadata.name));
  const table = textTable(
    ['NAME', 'SLOT', 'PHASE', 'DOMAIN', 'TYPE', 'PRICE/H', 'INSTANCE'],
    sorted.map((m) => [
      m.metadata.name,
      String(m.spec.slot),
      m.metadata.deletionTimestamp === undefined ? (m.status?.phase ?? 'Pending') : 'Terminating',
      m.spec.failureDomain,
      m.spec.instanceType,
      m.status?.hourlyPrice === undefined ? '' : `$${m.status.hourlyPrice}`,
      m.status?.instanceId ?? '',
    ]),
    '  ',
  ).split('\n');
  const [header, ...rows] = table;
  const explained = sorted.flatMap((m, i) => {
    const why = m.status?.placement ?? m.metadata.annotations?.[ANNOTATION_PLACEMENT];
    const failure = m.status?.failureReason === undefined ? [] : [`      failed: ${m.status.failureReason}: ${m.status.failureMessage ?? ''}`];
    return [rows[i] ?? '', ...(why === undefined ? [] : [`      placement: ${why}`]), ...failure];
  });
  return [header ?? '', ...explained].join('\n') + '\n';
}

function eventsTable(events: readonly StoredEvent[], now: Date): string {
  if (events.length === 0) return '';
  return textTable(
    ['TYPE', 'REASON', 'AGE', 'MESSAGE'],
    events.map((e) => [
      e.type,
      e.reason,
      `${humanDuration(now.getTime() - Date.parse(e.lastTimestamp))}${e.count > 1 ? ` (x${e.count} over ${humanDuration(Date.parse(e.lastTimestamp) - Date.parse(e.firstTimestamp))})` : ''}`,
      e.message,
    ]),
    '  ',
  );
}
