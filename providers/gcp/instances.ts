import type { protos } from '@google-cloud/compute';
import type { CreateRequest, Instance, InstanceAddress, InstanceState } from '../types.js';
import { TAGS_METADATA_KEY, labelsToTags } from './labels.js';
import { instanceId, lastSegment } from './names.js';
import { spotKey } from '../pricing/index.js';

export type GceInstance = protos.google.cloud.compute.v1.IInstance;

/** Metadata item holding the offering and image of the create, so a retry with others is refused. */
export const REQUEST_METADATA_KEY = 'polyfleet-request';

/** What a create asked for, as stored in the instance's metadata. */
export interface StoredRequest {
  readonly zone: string;
  readonly instanceType: string;
  readonly image: string;
  /** 'spot' for a Spot VM; absent: standard (on demand), also for instances made before it was stored. */
  readonly capacityType?: 'spot';
}

/**
 * GCE statuses (https://cloud.google.com/compute/docs/instances/instance-life-cycle). GCE has no
 * status for a deleted instance: it is STOPPING while the delete runs, then a 404, which get and
 * list show as absent; an Instance is `terminated` only when create finds its insert remembered
 * and the instance gone (deletedInstance).
 */
const STATES: Readonly<Record<string, InstanceState>> = {
  PROVISIONING: 'pending',
  STAGING: 'pending',
  // GCE is moving the instance off a failed host and brings it back on its own, as it was; `failed`
  // would have the controller replace a node GCE is already mending. A repair that never ends is
  // the controller's launch/liveness deadline to judge, not a status to guess from.
  REPAIRING: 'pending',
  RUNNING: 'running',
  // Powering off (a stop, a suspend, or a delete under way: GCE shows all three alike).
  STOPPING: 'stopping',
  SUSPENDING: 'stopping',
  // "TERMINATED" is GCE's word for stopped, not deleted: the instance, its disks and any static
  // address stay, and bill, until it is deleted. SUSPENDED keeps its memory on disk besides.
  TERMINATED: 'stopped',
  SUSPENDED: 'stopped',
};

export function metadataItem(instance: GceInstance, key: string): string | undefined {
  return instance.metadata?.items?.find((item) => item.key === key)?.value ?? undefined;
}

function storedJson(instance: GceInstance, key: string): Record<string, string> | undefined {
  const raw = metadataItem(instance, key);
  if (raw === undefined) return undefined;
  try {
    const parsed: unknown = JSON.parse(raw);
    return typeof parsed === 'object' && parsed !== null ? (parsed as Record<string, string>) : undefined;
  } catch {
    return undefined;
  }
}

export function storedRequest(instance: GceInstance): StoredRequest | undefined {
  const stored = storedJson(instance, REQUEST_METADATA_KEY);
  return stored?.zone === undefined || stored.instanceType === undefined || stored.image === undefined
    ? undefined
    : { zone: stored.zone, instanceType: stored.instanceType, image: stored.image, ...(stored.capacityType === 'spot' ? { capacityType: 'spot' as const } : {}) };
}

function addressesOf(instance: GceInstance): InstanceAddress[] {
  const addresses: InstanceAddress[] = [];
  for (const nic of instance.networkInterfaces ?? []) {
    if (nic.networkIP) addresses.push({ type: 'InternalIP', address: nic.networkIP });
    for (const access of nic.accessConfigs ?? []) if (access.natIP) addresses.push({ type: 'ExternalIP', address: access.natIP });
  }
  return addresses;
}

export function regionOfZone(zone: string): string {
  return zone.slice(0, zone.lastIndexOf('-'));
}

/**
 * Our Instance of a GCE instance; `price` gives the hourly price of its type in its region.
 * `deleting`: its delete was accepted (GCE itself does not say so; see deleting.ts).
 */
export function toInstance(instance: GceInstance, account: string, price: (region: string, type: string) => string, deleting = false): Instance {
  const zone = lastSegment(instance.zone ?? '');
  const region = regionOfZone(zone);
  const instanceType = lastSegment(instance.machineType ?? '');
  const status = instance.status ?? '';
  const spot = instance.scheduling?.provisioningModel === 'SPOT';
  const state = deleting ? 'terminating' : (STATES[status] ?? 'failed');
  const created = Date.parse(instance.creationTimestamp ?? '');
  const reason =
    deleting ? `being deleted (GCE status ${status || 'unknown'})`
    : state === 'failed' ? `GCE status ${status || 'unknown'}`
    : (instance.statusMessage ?? undefined);
  return {
    id: instanceId(zone, instance.name ?? ''),
    account,
    region,
    zone,
    instanceType,
    state,
    ...(reason ? { stateReason: reason } : {}),
    addresses: addressesOf(instance),
    tags: labelsToTags(instance.labels ?? {}, storedJson(instance, TAGS_METADATA_KEY)),
    createdAt: new Date(Number.isNaN(created) ? 0 : created).toISOString(),
    hourlyPrice: price(region, spot ? spotKey(instanceType) : instanceType),
    ...(spot ? { capacityType: 'spot' as const } : {}),
  };
}

/**
 * The instance a retried create made, after GCE already deleted it: its insert operation is
 * remembered under the requestId, the instance is not, and the caller must see it is gone
 * rather than get a second instance.
 */
export function deletedInstance(req: CreateRequest, name: string, tags: Readonly<Record<string, string>>, insertTime: string, account: string, hourlyPrice: string): Instance {
  const spot = req.capacityType === 'spot' ? { capacityType: 'spot' as const } : {};
  const created = Date.parse(insertTime);
  return {
    id: instanceId(req.zone, name),
    account,
    region: req.region,
    zone: req.zone,
    instanceType: req.instanceType,
    state: 'terminated',
    stateReason: 'the instance was deleted',
    addresses: [],
    tags,
    createdAt: new Date(Number.isNaN(created) ? 0 : created).toISOString(),
    hourlyPrice,
    ...spot,
  };
}
