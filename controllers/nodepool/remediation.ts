// Remediation limits (Cluster API's MachineHealthCheck maxUnhealthy, in our terms): how many failed
// Machines a pool may replace within a window, so a bad image, a broken zone or a cloud outage that
// fails half the fleet at once costs a few replacements, not a stampede of creates that fail too.

import { rfc3339Seconds } from '../../runtime/clock.js';
import type { NodePool } from '../../api/index.js';

export interface Remediation {
  /** Most replacements within the window: a share of the desired Machines, rounded down, at least 1. */
  readonly limit: number;
  /** How many more failed Machines may be replaced now. */
  readonly allowed: number;
  /** status.recentReplacements still inside the window. */
  readonly recent: readonly string[];
  /** When the oldest recent replacement leaves the window (another may go then), if any does. */
  readonly nextExpiryMs?: number;
}

export function remediationOf(pool: NodePool, desired: number, now: Date): Remediation {
  const { maxUnhealthy, windowSeconds } = pool.spec.remediation;
  const limit = Math.max(1, Math.floor((desired * Number.parseInt(maxUnhealthy, 10)) / 100));
  const windowMs = windowSeconds * 1000;
  const recent = (pool.status?.recentReplacements ?? []).filter((at) => now.getTime() - Date.parse(at) < windowMs).sort();
  const [oldest] = recent;
  return {
    limit,
    allowed: Math.max(0, limit - recent.length),
    recent,
    ...(oldest === undefined ? {} : { nextExpiryMs: Math.max(1_000, Date.parse(oldest) + windowMs - now.getTime()) }),
  };
}

/** `recent` with `count` replacements made now. */
export function withReplacements(recent: readonly string[], count: number, now: Date): string[] {
  return [...recent, ...Array.from({ length: count }, () => rfc3339Seconds(now))];
}

/** Why failed Machines wait, and the two ways on. */
export function remediationMessage(held: number, remediation: Remediation, windowSeconds: number): string {
  return (
    `${held} failed Machines are not replaced: ${remediation.recent.length} were replaced in the last ${windowSeconds} s, ` +
    `the most remediation.maxUnhealthy allows (${remediation.limit}); replacing goes on as those leave the window, ` +
    'or at once for a failed Machine you delete yourself'
  );
}
