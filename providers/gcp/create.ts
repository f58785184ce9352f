import { InvalidRequestError, TransientError } from '../errors.js';
import { TAG_ATTEMPT, TAG_MACHINE } from '../types.js';
import type { CreateRequest, Instance } from '../types.js';
import { instanceTags } from '../instance-tags.js';
import { classifyOperationError, isConflict } from './classify.js';
import { CALL } from './clients.js';
import { gceCall } from './context.js';
import type { GceContext } from './context.js';
import { observed, readInstance } from './deleting.js';
import { REQUEST_METADATA_KEY, deletedInstance, storedRequest } from './instances.js';
import type { GceInstance, StoredRequest } from './instances.js';
import { TAGS_METADATA_KEY, labelFilter, tagsToLabels } from './labels.js';
import { imageForArch } from './images.js';
import { archOf, BOOT_DISK_GIB, BOOT_DISK_TYPE } from './machine-types.js';
import { instanceNameFor, lastSegment, requestIdFor } from './names.js';
import { waitForOperation } from './operations.js';
import type { GceOperation } from './operations.js';
import { spotKey } from '../pricing/index.js';

/** Replayed failed inserts followed before giving up (each failure moves the requestId on). */
const MAX_REQUEST_HOPS = 8;

function check(ctx: GceContext, req: CreateRequest): void {
  const problem =
    req.machineUid === '' ? 'empty machineUid'
    : !Number.isInteger(req.attempt) || req.attempt < 1 ? `attempt must be a whole number ≥ 1, got ${req.attempt}`
    : !req.zone.startsWith(`${req.region}-`) ? `zone ${JSON.stringify(req.zone)} is not a zone of region ${req.region}`
    : undefined;
  if (problem !== undefined) throw new InvalidRequestError(`create: ${problem}`, ctx.account);
}

/** The instance a request made, if it asked for this offering; InvalidRequestError if another. */
function sameOffering(ctx: GceContext, req: CreateRequest, found: GceInstance): Instance {
  const instance = observed(ctx, found);
  const stored: StoredRequest = storedRequest(found) ?? { zone: instance.zone, instanceType: instance.instanceType, image: req.image };
  const asked: StoredRequest = requested(req);
  const keys = [...new Set([...Object.keys(asked), ...Object.keys(stored)])] as (keyof StoredRequest)[];
  const differs = keys.filter((k) => stored[k] !== asked[k]);
  if (differs.length > 0) {
    const was = differs.map((k) => `${k} ${stored[k] ?? (k === 'capacityType' ? 'on-demand' : 'none')}`).join(', ');
    throw new InvalidRequestError(`machine ${req.machineUid} attempt ${req.attempt} already made instance ${instance.id} with ${was}; a retry must ask for the same, a new offering needs a new attempt`, ctx.account);
  }
  return instance;
}

/** An instance of this (machineUid, attempt) in any zone, found by its labels. */
async function findByLabels(ctx: GceContext, req: CreateRequest): Promise<GceInstance | undefined> {
  const filter = labelFilter({ [TAG_MACHINE]: req.machineUid, [TAG_ATTEMPT]: String(req.attempt) });
  return gceCall(ctx, 'instances.aggregatedList', async () => {
    for await (const [, scoped] of ctx.clients.instances.aggregatedListAsync({ project: ctx.clients.project, filter, maxResults: ctx.pageSize }, CALL)) {
      const found = scoped.instances?.[0];
      if (found) return found;
    }
    return undefined;
  });
}

/** What a create asked for, as kept in the instance's metadata so a retry can be checked against it. */
function requested(req: CreateRequest): StoredRequest {
  return { zone: req.zone, instanceType: req.instanceType, image: req.image, ...(req.capacityType === 'spot' ? { capacityType: 'spot' as const } : {}) };
}

/**
 * A Spot VM (https://cloud.google.com/compute/docs/instances/create-use-spot): deleted, not stopped,
 * when Compute Engine preempts it, so nothing of it bills on; Spot VMs cannot restart or migrate.
 */
const SPOT_SCHEDULING = { provisioningModel: 'SPOT', instanceTerminationAction: 'DELETE', automaticRestart: false, onHostMaintenance: 'TERMINATE' };

function instanceResource(req: CreateRequest, name: string, tags: Readonly<Record<string, string>>): GceInstance {
  const stored: StoredRequest = requested(req);
  return {
    name,
    machineType: `zones/${req.zone}/machineTypes/${req.instanceType}`,
    ...(req.capacityType === 'spot' ? { scheduling: SPOT_SCHEDULING } : {}),
    labels: tagsToLabels(tags),
    metadata: {
      items: [
        { key: TAGS_METADATA_KEY, value: JSON.stringify(tags) },
        { key: REQUEST_METADATA_KEY, value: JSON.stringify(stored) },
        ...(req.userData === undefined ? [] : [{ key: 'user-data', value: req.userData }]),
      ],
    },
    disks: [
      {
        boot: true,
        autoDelete: true,
        initializeParams: { sourceImage: imageForArch(req.image, archOf(req.instanceType)), diskSizeGb: String(BOOT_DISK_GIB), diskType: `zones/${req.zone}/diskTypes/${BOOT_DISK_TYPE}` },
      },
    ],
    networkInterfaces: [{ network: 'global/networks/default', accessConfigs: [{ name: 'External NAT', type: 'ONE_TO_ONE_NAT' }] }],
  };
}

/** The insert's operation, or 'exists' when the name is taken in the zone (an earlier insert made it). */
async function insert(ctx: GceContext, req: CreateRequest, resource: GceInstance, requestId: string): Promise<GceOperation | 'exists'> {
  return gceCall(ctx, `instances.insert ${req.instanceType} in ${req.zone}`, async () => {
    try {
      const [operation] = await ctx.clients.instances.insert({ project: ctx.clients.project, zone: req.zone, requestId, instanceResource: resource }, CALL);
      return operation.latestResponse as GceOperation;
    } catch (e) {
      if (isConflict(e)) return 'exists';
      throw e;
    }
  });
}

/**
 * instances.insert, idempotent on (machineUid, attempt): look up by labels first (in every zone,
 * so a retry with another zone is caught, and a create whose operation GCE has forgotten is
 * found), then insert under a name and requestId derived from the request, so concurrent or
 * repeated inserts are one instance. See names.ts for why a failure moves the requestId on.
 */
export async function createInstance(ctx: GceContext, req: CreateRequest): Promise<Instance> {
  check(ctx, req);
  const earlier = await findByLabels(ctx, req);
  if (earlier !== undefined) return sameOffering(ctx, req, earlier);
  const name = instanceNameFor(req.machineUid, req.attempt);
  const tags = instanceTags(req);
  const resource = instanceResource(req, name, tags);
  const deadline = ctx.now() + ctx.operationTimeoutMs;
  let failedOperation: string | undefined;
  for (let hop = 0; hop <= MAX_REQUEST_HOPS; hop++) {
    const started = await insert(ctx, req, resource, requestIdFor(req, failedOperation));
    if (started === 'exists') {
      const existing = await readInstance(ctx, req.zone, name);
      if (existing !== undefined) return sameOffering(ctx, req, existing);
      continue;
    }
    const replayed = started.status === 'DONE';
    const what = `instances.insert ${req.instanceType} in ${req.zone}`;
    const done = (await waitForOperation(ctx.clients, ctx.account, what, req.zone, started, deadline, ctx.now)) ?? { ...started, status: 'DONE', error: null };
    if (done.error) {
      const error = classifyOperationError(done.error, done.httpErrorStatusCode ?? undefined, what, ctx.account);
      if (!replayed || hop === MAX_REQUEST_HOPS) throw error;
      failedOperation = done.name ?? String(hop);
      continue;
    }
    const made = await readInstance(ctx, req.zone, lastSegment(done.targetLink ?? name));
    if (made !== undefined) return sameOffering(ctx, req, made);
    return deletedInstance(req, name, tags, done.insertTime ?? '', ctx.account, ctx.price(req.region, req.capacityType === 'spot' ? spotKey(req.instanceType) : req.instanceType));
  }
  throw new TransientError(`instances.insert of ${name} in ${req.zone}: the name stayed taken by an instance that could not be read`, ctx.account);
}
