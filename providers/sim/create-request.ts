import { InvalidRequestError } from '../errors.js';
import { instanceTags } from '../instance-tags.js';
import type { CreateRequest } from '../types.js';
import { imageId, regionOfferings } from './catalogue.js';
import type { SimCatalogue, SimRegion } from './catalogue.js';
import type { SimInstanceRecord } from './instance-record.js';

/** Refuses a request no cloud would take, before anything is looked up or written. */
export function requireWellFormed(req: CreateRequest, account: string): void {
  const blank = (['machineUid', 'managedBy', 'pool', 'namespace', 'region', 'zone', 'instanceType', 'image'] as const).find(
    (k) => req[k].trim() === '',
  );
  if (blank !== undefined) throw new InvalidRequestError(`create request has an empty ${blank}`, account);
  if (!Number.isInteger(req.attempt) || req.attempt < 1) {
    throw new InvalidRequestError(`create request attempt must be a whole number ≥ 1, got ${req.attempt}`, account);
  }
}

export interface ChosenOffering {
  readonly hourlyPrice: string;
}

/** The offering the request names, or InvalidRequestError saying which of zone, type or image the region lacks. */
export function findOffering(catalogue: SimCatalogue, region: SimRegion, req: CreateRequest, account: string): ChosenOffering {
  if (!region.zones.includes(req.zone)) {
    throw new InvalidRequestError(`region ${region.name} has no zone "${req.zone}" (it has ${region.zones.join(', ')})`, account);
  }
  const capacityType = req.capacityType ?? 'on-demand';
  const offering = regionOfferings(catalogue, region, account).find((o) => o.instanceType === req.instanceType && (o.capacityType ?? 'on-demand') === capacityType);
  if (!offering?.zones.includes(req.zone)) {
    throw new InvalidRequestError(`instance type "${req.instanceType}" is not offered in zone ${req.zone}`, account);
  }
  if (!catalogue.images.some((os) => imageId(os, region.name) === req.image)) {
    throw new InvalidRequestError(`image "${req.image}" does not exist in region ${region.name}`, account);
  }
  return { hourlyPrice: offering.hourlyPrice };
}

/** A retry must ask for what the first call made: otherwise the caller is confused about which instance it has. */
export function checkRetryMatches(record: SimInstanceRecord, req: CreateRequest, account: string): void {
  const differs = (['region', 'zone', 'instanceType', 'image'] as const).filter((k) => record[k] !== req[k]);
  const bought = (record.capacityType ?? 'on-demand') !== (req.capacityType ?? 'on-demand') ? [`capacityType ${record.capacityType ?? 'on-demand'}`] : [];
  if (differs.length === 0 && bought.length === 0) return;
  const was = [...differs.map((k) => `${k} ${record[k]}`), ...bought].join(', ');
  throw new InvalidRequestError(
    `machine ${req.machineUid} attempt ${req.attempt} already made instance ${record.id} with ${was}; a create with other parameters needs a new attempt`,
    account,
  );
}

export interface RecordInputs {
  readonly id: string;
  readonly account: string;
  readonly req: CreateRequest;
  readonly offering: ChosenOffering;
  readonly now: Date;
  readonly createLatencyMs: number;
  readonly dieAfterMs: number | undefined;
  readonly invisibleForMs: number | undefined;
}

export function buildRecord({ id, account, req, offering, now, createLatencyMs, dieAfterMs, invisibleForMs }: RecordInputs): SimInstanceRecord {
  const readyAt = now.getTime() + createLatencyMs;
  return {
    id,
    account,
    machineUid: req.machineUid,
    attempt: req.attempt,
    region: req.region,
    zone: req.zone,
    instanceType: req.instanceType,
    ...(req.capacityType === 'spot' ? { capacityType: 'spot' as const } : {}),
    image: req.image,
    ...(req.userData === undefined ? {} : { userData: req.userData }),
    tags: instanceTags(req),
    hourlyPrice: offering.hourlyPrice,
    createdAt: now.toISOString(),
    readyAt: new Date(readyAt).toISOString(),
    ...(dieAfterMs === undefined ? {} : { diesAt: new Date(readyAt + dieAfterMs).toISOString() }),
    ...(invisibleForMs === undefined ? {} : { visibleAt: new Date(now.getTime() + invisibleForMs).toISOString() }),
  };
}
