import type { protos } from '@google-cloud/compute';
import type { CreateRequest, Instance, InstanceAddress, InstanceState } from '../types.js';
import { TAGS_METADATA_KEY, labelsToTags } from './labels.js';
import { instanceId, lastSegment } from './names.js';

export type GceInstance = protos.google.cloud.compute.v1.IInstance;

/** Metadata item holding the offering and image of the create, so a retry with others is refused. */
export const REQUEST_METADATA_KEY = 'polyfleet-request';

/** What a create asked for, as stored in the instance's metadata. */
export interface StoredRequest {
  readonly zone: string;
  readonly instanceType: string;
  readonly image: string;
}

const STATES: Readonly<Record<string, InstanceState>> = {
  PROVISIONING: 'pending',
  STAGING: 'pending',
  REPAIRING: 'pending',
  RUNNING: 'running',
  STOPPING: 'stopping',
  SUSPENDING: 'stopping',
  // Stopped (not deleted) instances: GCE keeps them, and their disks cost, until deleted.
  TERMINATED: 'terminated',
  SUSPENDED: 'terminated',
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
    : { zone: stored.zone, instanceType: stored.instanceType, image: stored.image };
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

/** Our Instance of a GCE instance; `price` gives the hourly price of its type in its region. */
export function toInstance(instance: GceInstance, account: string, price: (region: string, type: string) => string): Instance {
  const zone = lastSegment(instance.zone ?? '');
  const region = regionOfZone(zone);
  const instanceType = lastSegment(instance.machineType ?? '');
  const status = instance.status ?? '';
  const state = STATES[status] ?? 'failed';
  const created = Date.parse(instance.creationTimestamp ?? '');
  return {
    id: instanceId(zone, instance.name ?? ''),
    account,
    region,
    zone,
    instanceType,
    state,
    ...(state === 'failed' ? { stateReason: `GCE status ${status || 'unknown'}` } : instance.statusMessage ? { stateReason: instance.statusMessage } : {}),
    addresses: addressesOf(instance),
    tags: labelsToTags(instance.labels ?? {}, storedJson(instance, TAGS_METADATA_KEY)),
    createdAt: new Date(Number.isNaN(created) ? 0 : created).toISOString(),
    hourlyPrice: price(region, instanceType),
  };
}

/**
 * The instance a retried create made, after GCE already deleted it: its insert operation is
 * remembered under the requestId, the instance is not, and the caller must see it is gone
 * rather than get a second instance.
 */
export function deletedInstance(req: CreateRequest, name: string, tags: Readonly<Record<string, string>>, insertTime: string, account: string, hourlyPrice: string): Instance {
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
  };
}
