import { TransientError } from '../errors.js';
import { TAG_MACHINE, TAG_MANAGED_BY, TAG_NAMESPACE, TAG_POOL } from '../types.js';
import type { Instance, InstanceFilter } from '../types.js';
import { CALL } from './clients.js';
import { gceCall } from './context.js';
import type { GceContext } from './context.js';
import { observed } from './deleting.js';
import { regionOfZone } from './instances.js';
import { labelFilter } from './labels.js';
import { lastSegment, parseInstanceId } from './names.js';

/** The filter's tags, which GCE filters on server side as labels. */
function filterTags(filter: InstanceFilter): Record<string, string> {
  return {
    [TAG_MANAGED_BY]: filter.managedBy,
    ...(filter.pool === undefined ? {} : { [TAG_POOL]: filter.pool }),
    ...(filter.namespace === undefined ? {} : { [TAG_NAMESPACE]: filter.namespace }),
    ...(filter.machineUid === undefined ? {} : { [TAG_MACHINE]: filter.machineUid }),
  };
}

/**
 * instances.aggregatedList over every zone of the project, by labels, every page. Stopped
 * (TERMINATED, SUSPENDED) instances are listed: they exist and bill until deleted. `region` keeps
 * that region's zones, whether or not the Strategy still names it (the project has every region).
 * A zone GCE answers as UNREACHABLE (a scope warning; its instances are missing from the page)
 * rejects the call, in the region asked or, without one, anywhere: a list that silently lacked a
 * zone would let a caller take its instances for gone.
 */
export async function listInstances(ctx: GceContext, filter: InstanceFilter): Promise<Instance[]> {
  const request = { project: ctx.clients.project, filter: labelFilter(filterTags(filter)), maxResults: ctx.pageSize };
  const call = filter.region === undefined ? 'instances.aggregatedList' : `instances.aggregatedList in ${filter.region}`;
  return gceCall(ctx, call, async () => {
    const instances: Instance[] = [];
    for await (const [scope, scoped] of ctx.clients.instances.aggregatedListAsync(request, CALL)) {
      const zone = lastSegment(scope);
      if (filter.region !== undefined && regionOfZone(zone) !== filter.region) continue;
      if (scoped.warning?.code === 'UNREACHABLE') {
        throw new TransientError(`${call}: zone ${zone} is unreachable, so its instances cannot be listed`, ctx.account);
      }
      for (const found of scoped.instances ?? []) {
        const instance = observed(ctx, found);
        if (instance.state !== 'terminated') instances.push(instance);
      }
    }
    return instances;
  });
}

/**
 * The instances among `ids` (zone/name) in `region`: one instances.list of each zone holding one
 * of them, every page, keeping the names asked for. Compute Engine has no lookup by many names
 * that its list filter (labels, for this adapter) expresses, so a zone is listed whole, which costs
 * pages per zone however many of its instances are asked for.
 */
export async function describeInstances(ctx: GceContext, region: string, ids: readonly string[]): Promise<Instance[]> {
  const namesByZone = new Map<string, Set<string>>();
  for (const id of ids) {
    const parsed = parseInstanceId(id);
    if (parsed === undefined || regionOfZone(parsed.zone) !== region) continue;
    const names = namesByZone.get(parsed.zone) ?? new Set<string>();
    names.add(parsed.name);
    namesByZone.set(parsed.zone, names);
  }
  const found: Instance[] = [];
  for (const [zone, names] of namesByZone) {
    await gceCall(ctx, `instances.list in ${zone}`, async () => {
      for await (const instance of ctx.clients.instances.listAsync({ project: ctx.clients.project, zone, maxResults: ctx.pageSize }, CALL)) {
        if (instance.name !== undefined && instance.name !== null && names.has(instance.name)) found.push(observed(ctx, instance));
      }
    });
  }
  return found;
}
