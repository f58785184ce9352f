import type { modules } from 'dots-wrapper';
import type { CreateRequest } from '../types.js';
import { imageOf, madeFrom, regionOf } from './droplets.js';

type Droplet = modules.droplet.IDroplet;

/** What differs between the droplet a (machineUid, attempt) already has and a retry of it, in words; undefined if nothing. */
export function mismatchOf(d: Droplet, req: CreateRequest): string | undefined {
  const differences = [
    regionOf(d) === req.region ? undefined : `region ${regionOf(d)} (asked ${req.region})`,
    d.size_slug === req.instanceType ? undefined : `size ${d.size_slug} (asked ${req.instanceType})`,
    madeFrom(d, req.image) ? undefined : `image ${imageOf(d)} (asked ${req.image})`,
  ].filter((x) => x !== undefined);
  return differences.length === 0 ? undefined : differences.join(', ');
}

/**
 * A droplet name (DO wants a hostname: letters, digits, `.` and `-`) a human can place: pool,
 * the Machine UID's first block and the attempt. Names need not be unique on DO; tags identify.
 */
export function dropletName(req: CreateRequest): string {
  const clean = (s: string): string => s.toLowerCase().replace(/[^a-z0-9-]+/g, '-').replace(/^-+|-+$/g, '');
  const uid = clean(req.machineUid).slice(0, 12);
  return [clean(req.pool).slice(0, 40) || 'pool', uid || 'machine', String(req.attempt)].join('-');
}
