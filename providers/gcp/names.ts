import { createHash } from 'node:crypto';
import type { CreateRequest } from '../types.js';

/**
 * GCE requires `requestId` to be a UUID (and not the zero UUID). It must be the same for a retry
 * from any process, so it is derived rather than random: the first 16 bytes of SHA-1 over a
 * namespaced key, with the version nibble set to 5 and the RFC 4122 variant bits, as a v5 UUID is
 * made (RFC 9562 §5.5). The key covers the offering too: GCE ignores a repeated requestId whatever
 * its parameters, so an id of (machine, attempt) alone would silently return an instance of another
 * offering instead of letting the adapter refuse it.
 */
export function uuidFromKey(key: string): string {
  const bytes = createHash('sha1').update(`polyfleet.io/gcp/request\n${key}`, 'utf8').digest().subarray(0, 16);
  bytes[6] = ((bytes[6] ?? 0) & 0x0f) | 0x50;
  bytes[8] = ((bytes[8] ?? 0) & 0x3f) | 0x80;
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/**
 * The requestId of the n-th insert of a request. A failed insert operation stays bound to its
 * requestId, so a later retry of the same id would only replay the failure; after a failure the
 * next id is derived from the failed operation's name, which every process sees alike.
 */
export function requestIdFor(req: CreateRequest, afterFailedOperation?: string): string {
  const offering = [req.region, req.zone, req.instanceType, req.image].join('\n');
  const base = `${req.machineUid}\n${req.attempt}\n${offering}`;
  return uuidFromKey(afterFailedOperation === undefined ? base : `${base}\nafter ${afterFailedOperation}`);
}

/**
 * The requestId of a delete of the instance GCE numbers `gceId` (one incarnation of a name): a
 * repeated delete, from any process, replays the first one's operation instead of meeting the
 * delete under way as a conflict. After a failed delete the next id is derived from its operation,
 * as for inserts.
 */
export function deleteRequestIdFor(gceId: string, afterFailedOperation?: string): string {
  const base = `delete\n${gceId}`;
  return uuidFromKey(afterFailedOperation === undefined ? base : `${base}\nafter ${afterFailedOperation}`);
}

/**
 * An RFC 1035 name (≤ 63, `[a-z]([-a-z0-9]*[a-z0-9])?`) unique per (machineUid, attempt): "pf-",
 * 40 hex digits of SHA-256 over the pair, "-a" and the attempt. A Machine UID is not itself a
 * valid name (it may start with a digit, and a Machine of another namespace could share a name),
 * and the name must not depend on the offering, so a retry with another one collides in its zone.
 */
export function instanceNameFor(machineUid: string, attempt: number): string {
  const digest = createHash('sha256').update(`${machineUid}\n${attempt}`, 'utf8').digest('hex').slice(0, 40);
  return `pf-${digest}-a${attempt}`;
}

/** An Instance id is `zone/name`: get and delete need both, and no scan is needed to find it. */
export function instanceId(zone: string, name: string): string {
  return `${zone}/${name}`;
}

const ZONE = /^[a-z]+(?:-[a-z0-9]+)+$/;
const NAME = /^[a-z](?:[-a-z0-9]{0,61}[a-z0-9])?$/;

/** zone and name of an id, or undefined when it cannot be an id of ours (so no instance has it). */
export function parseInstanceId(id: string): { zone: string; name: string } | undefined {
  const [zone, name, ...rest] = id.split('/');
  if (zone === undefined || name === undefined || rest.length > 0 || !ZONE.test(zone) || !NAME.test(name)) return undefined;
  return { zone, name };
}

/** The last path segment of a GCE URL (zone, machine type, region links). */
export function lastSegment(url: string): string {
  return url.slice(url.lastIndexOf('/') + 1);
}
