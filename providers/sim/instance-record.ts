import { createHash } from 'node:crypto';
import type { Instance, InstanceAddress, InstanceState } from '../types.js';
import { JsonFields } from './json-fields.js';
import { fnv1a } from './pricing.js';

/** An instance as created: written once, never rewritten; what happens later is in marker files. */
export interface SimInstanceRecord {
  readonly id: string;
  readonly account: string;
  readonly machineUid: string;
  readonly attempt: number;
  readonly region: string;
  readonly zone: string;
  readonly instanceType: string;
  /** Set for a spot instance, which `polyfleet sim reclaim` can take back. */
  readonly capacityType?: 'spot';
  readonly image: string;
  readonly userData?: string;
  readonly tags: Readonly<Record<string, string>>;
  readonly hourlyPrice: string;
  /** RFC 3339 with milliseconds; so are the other instants. */
  readonly createdAt: string;
  /** Pending until then, running after: computed on read, so no timer has to survive a crash. */
  readonly readyAt: string;
  /** Set when a `die` fault picked this instance: it turns failed then. */
  readonly diesAt?: string;
  /**
   * Set when an `invisible` fault picked this instance: until then get and list do not see it (and a
   * delete finds nothing to delete), as EC2 for a while after RunInstances. A create retry returns it.
   */
  readonly visibleAt?: string;
}

export interface DeleteMarker {
  readonly requestedAt: string;
  /** Terminating until then, terminated after. */
  readonly terminatesAt: string;
  /** Who asked, as a cloud's audit log records the caller (SimProvider's actor); absent if the caller gave no identity. */
  readonly by?: string;
}

/** A stop behind the adapter's back (`SimProvider.stop`, `polyfleet sim stop`): the instance powers off and stays. */
export interface StopMarker {
  readonly requestedAt: string;
  /** Stopping until then, stopped after. */
  readonly stoppedAt: string;
  /** Who asked, as for DeleteMarker.by; absent for a stop from `polyfleet sim stop` or a caller without an identity. */
  readonly by?: string;
}

/** reclaim: the cloud takes a spot instance back, as EC2 and Compute Engine do (it terminates). */
export const KILL_MODES = ['fail', 'vanish', 'reclaim'] as const;
export type KillMode = (typeof KILL_MODES)[number];

export interface KillMarker {
  readonly at: string;
  /** fail: the instance shows as failed; vanish: the cloud forgets it (get → undefined); reclaim: a spot instance terminated by the cloud. */
  readonly how: KillMode;
  readonly reason: string;
}

/** An instance's files as read together. */
export interface SimInstanceFiles {
  readonly record: SimInstanceRecord;
  readonly deleted?: DeleteMarker;
  readonly killed?: KillMarker;
  readonly stopped?: StopMarker;
}

const ID_PATTERN = /^sim-[0-9a-f]{16}$/;

/**
 * The id is derived from the idempotency key, so "claim the key" and "create the instance" are one
 * exclusive file create: no crash can leave a claim without its instance, or two instances for one key.
 */
export function instanceIdFor(account: string, machineUid: string, attempt: number): string {
  const digest = createHash('sha256').update(`${account}\0${machineUid}\0${attempt}`).digest('hex');
  return `sim-${digest.slice(0, 16)}`;
}

/** Ids come from callers and name files: anything else is no instance of ours. */
export function isInstanceId(id: string): boolean {
  return ID_PATTERN.test(id);
}

/**
 * The last Instance made of each files object (they are read once and kept per version, see
 * parsed-files.ts): a listing of an instance that looks as it did hands out that same object, so
 * an idle controller's listing of 10,000 instances makes none anew. Instances are read-only.
 */
const lastSeen = new WeakMap<SimInstanceFiles, Instance>();

/** The instance as the cloud shows it at `now`, or undefined once it vanished. */
export function observeInstance(files: SimInstanceFiles, now: Date): Instance | undefined {
  const observed = observeState(files, now);
  if (observed === undefined) return undefined;
  const last = lastSeen.get(files);
  if (last !== undefined && last.state === observed.state && last.stateReason === observed.reason) return last;
  const instance = toInstance(files.record, observed.state, observed.reason, files.killed?.how === 'reclaim');
  lastSeen.set(files, instance);
  return instance;
}

/** Like observeInstance, but a vanished instance shows as terminated: what a create retry returns. */
export function observeForRetry(files: SimInstanceFiles, now: Date): Instance {
  const observed = observeState(files, now) ?? { state: 'terminated', reason: files.killed?.reason };
  return toInstance(files.record, observed.state, observed.reason, files.killed?.how === 'reclaim');
}

export function observeState(files: SimInstanceFiles, now: Date): { state: InstanceState; reason?: string | undefined } | undefined {
  const t = now.getTime();
  const { record, deleted, killed, stopped } = files;
  if (killed?.how === 'vanish') return undefined;
  if (deleted) return t >= Date.parse(deleted.terminatesAt) ? { state: 'terminated', reason: 'deleted' } : { state: 'terminating' };
  // Kill and stop each refuse an instance the other reached first; should two processes race, the earlier stands.
  const stoppedFirst = stopped !== undefined && (killed === undefined || Date.parse(stopped.requestedAt) < Date.parse(killed.at));
  if (killed?.how === 'reclaim' && !stoppedFirst) return { state: 'terminated', reason: killed.reason };
  if (killed && !stoppedFirst) return { state: 'failed', reason: killed.reason };
  if (record.diesAt !== undefined && t >= Date.parse(record.diesAt) && (stopped === undefined || Date.parse(record.diesAt) < Date.parse(stopped.requestedAt))) {
    return { state: 'failed', reason: 'the instance died (injected fault)' };
  }
  if (stopped) return t >= Date.parse(stopped.stoppedAt) ? { state: 'stopped', reason: 'the instance was stopped (in the sim)' } : { state: 'stopping' };
  return t < Date.parse(record.readyAt) ? { state: 'pending' } : { state: 'running' };
}

/** False while an `invisible` fault hides the instance from get, list and delete. */
export function isVisible(record: SimInstanceRecord, now: Date): boolean {
  return record.visibleAt === undefined || now.getTime() >= Date.parse(record.visibleAt);
}

function toInstance(record: SimInstanceRecord, state: InstanceState, reason: string | undefined, reclaimed: boolean): Instance {
  return {
    id: record.id,
    account: record.account,
    region: record.region,
    zone: record.zone,
    instanceType: record.instanceType,
    state,
    ...(reason === undefined ? {} : { stateReason: reason }),
    addresses: addresses(record.id, state),
    tags: { ...record.tags },
    createdAt: record.createdAt,
    hourlyPrice: record.hourlyPrice,
    ...(record.capacityType === 'spot' ? { capacityType: 'spot' as const } : {}),
    ...(reclaimed ? { reclaimed: true } : {}),
  };
}

/** A private address always, a public one while running, both stable per id. */
function addresses(id: string, state: InstanceState): InstanceAddress[] {
  const h = fnv1a(id);
  const internal: InstanceAddress = { type: 'InternalIP', address: `10.${(h >>> 16) & 255}.${(h >>> 8) & 255}.${(h & 255) || 1}` };
  const hostname: InstanceAddress = { type: 'Hostname', address: id };
  if (state !== 'running') return [internal, hostname];
  return [internal, { type: 'ExternalIP', address: `198.18.${(h >>> 24) & 255}.${((h >>> 4) & 255) || 1}` }, hostname];
}

export function parseRecord(file: string, text: string): SimInstanceRecord {
  const f = JsonFields.parse(file, text);
  const userData = f.optionalString('userData');
  const diesAt = f.optionalString('diesAt');
  const visibleAt = f.optionalString('visibleAt');
  const capacityType = f.optionalString('capacityType');
  if (capacityType !== undefined && capacityType !== 'spot') throw f.fail('capacityType', '"spot" or absent', capacityType);
  const attempt = f.number('attempt', 1);
  if (!Number.isInteger(attempt)) throw f.fail('attempt', 'a whole number', attempt);
  return {
    id: f.string('id'),
    account: f.string('account'),
    machineUid: f.string('machineUid'),
    attempt,
    region: f.string('region'),
    zone: f.string('zone'),
    instanceType: f.string('instanceType'),
    ...(capacityType === undefined ? {} : { capacityType }),
    image: f.string('image'),
    ...(userData === undefined ? {} : { userData }),
    tags: f.stringMap('tags'),
    hourlyPrice: f.string('hourlyPrice'),
    createdAt: instant(f, 'createdAt'),
    readyAt: instant(f, 'readyAt'),
    ...(diesAt === undefined ? {} : { diesAt: instant(f, 'diesAt') }),
    ...(visibleAt === undefined ? {} : { visibleAt: instant(f, 'visibleAt') }),
  };
}

export function parseDeleteMarker(file: string, text: string): DeleteMarker {
  const f = JsonFields.parse(file, text);
  const by = f.optionalString('by');
  return { requestedAt: instant(f, 'requestedAt'), terminatesAt: instant(f, 'terminatesAt'), ...(by === undefined ? {} : { by }) };
}

export function parseStopMarker(file: string, text: string): StopMarker {
  const f = JsonFields.parse(file, text);
  const by = f.optionalString('by');
  return { requestedAt: instant(f, 'requestedAt'), stoppedAt: instant(f, 'stoppedAt'), ...(by === undefined ? {} : { by }) };
}

export function parseKillMarker(file: string, text: string): KillMarker {
  const f = JsonFields.parse(file, text);
  return { at: instant(f, 'at'), how: f.oneOf('how', KILL_MODES), reason: f.string('reason') };
}

function instant(f: JsonFields, key: string): string {
  const value = f.string(key);
  if (Number.isNaN(Date.parse(value))) throw f.fail(key, 'an RFC 3339 time', value);
  return value;
}
