import type { Instance } from '../types.js';
import { CALL } from './clients.js';
import { gceCall } from './context.js';
import type { GceContext } from './context.js';
import { regionOfZone } from './instances.js';
import { instanceId, lastSegment, parseInstanceId } from './names.js';

/** The operation Compute Engine records when it preempts a Spot (or preemptible) VM. */
export const PREEMPTED_OPERATION = 'compute.instances.preempted';

/**
 * The instances Compute Engine preempted in `zone`, name → when, read from its own record: the
 * zone's `compute.instances.preempted` operations (zoneOperations.list, every page). A Spot VM with
 * instanceTerminationAction DELETE leaves nothing else behind: it is STOPPING, then gone.
 */
export async function preemptedIn(ctx: GceContext, zone: string): Promise<Map<string, string>> {
  return gceCall(ctx, `zoneOperations.list of preemptions in ${zone}`, async () => {
    const preempted = new Map<string, string>();
    const request = { project: ctx.clients.project, zone, filter: `operationType = "${PREEMPTED_OPERATION}"`, maxResults: ctx.pageSize };
    for await (const op of ctx.clients.operations.listAsync(request, CALL)) {
      if (op.operationType !== PREEMPTED_OPERATION || !op.targetLink) continue;
      preempted.set(lastSegment(op.targetLink), op.insertTime ?? op.endTime ?? '');
    }
    return preempted;
  });
}

function reason(at: string): string {
  return `preempted by Compute Engine${at === '' ? '' : ` at ${at}`} (${PREEMPTED_OPERATION})`;
}

/**
 * `instances` with each Spot VM that is powering off or stopped — as a preempted one is on its way
 * out — marked reclaimed if its zone records its preemption; one zoneOperations.list per zone
 * holding such an instance, none otherwise. A Spot VM stopped by someone is not reclaimed.
 */
export async function withPreemptions(ctx: GceContext, instances: readonly Instance[]): Promise<Instance[]> {
  const suspect = (i: Instance): boolean => i.capacityType === 'spot' && (i.state === 'stopping' || i.state === 'stopped');
  const zones = [...new Set(instances.filter(suspect).map((i) => i.zone))];
  if (zones.length === 0) return [...instances];
  const byZone = new Map(await Promise.all(zones.map(async (zone) => [zone, await preemptedIn(ctx, zone)] as const)));
  return instances.map((i) => {
    const at = suspect(i) ? byZone.get(i.zone)?.get(lastSegment(i.id)) : undefined;
    return at === undefined ? i : { ...i, reclaimed: true, stateReason: reason(at) };
  });
}

/**
 * The instances among `ids` (zone/name) that Compute Engine no longer has because it preempted
 * them, as `terminated` and reclaimed: what the cloud still says of them. Only the zone's operation
 * log knows them, so their type, tags and price are not known any more (empty, empty, "0"), and
 * createdAt is the preemption's time, the only one the log has.
 */
export async function preemptedAmong(ctx: GceContext, ids: readonly string[]): Promise<Instance[]> {
  const parsed = ids.flatMap((id) => {
    const p = parseInstanceId(id);
    return p === undefined ? [] : [p];
  });
  const zones = [...new Set(parsed.map((p) => p.zone))];
  const byZone = new Map(await Promise.all(zones.map(async (zone) => [zone, await preemptedIn(ctx, zone)] as const)));
  return parsed.flatMap(({ zone, name }) => {
    const at = byZone.get(zone)?.get(name);
    if (at === undefined) return [];
    const created = Date.parse(at);
    return [
      {
        id: instanceId(zone, name),
        account: ctx.account,
        region: regionOfZone(zone),
        zone,
        instanceType: '',
        state: 'terminated' as const,
        stateReason: reason(at),
        addresses: [],
        tags: {},
        createdAt: new Date(Number.isNaN(created) ? 0 : created).toISOString(),
        hourlyPrice: '0',
        capacityType: 'spot' as const,
        reclaimed: true,
      },
    ];
  });
}
