import { writeKillMarker } from './instance-files.js';
import { observeInstance } from './instance-record.js';
import type { KillMode, SimInstanceFiles } from './instance-record.js';

const KILL_REASONS: Readonly<Record<KillMode, string>> = {
  fail: 'the instance failed (killed in the sim)',
  vanish: 'the instance vanished (killed in the sim)',
  reclaim: 'spot instance reclaimed: the cloud took the capacity back (in the sim)',
};

/**
 * Kills a live instance the way a cloud loses one: `fail` leaves it failed (a hardware fault),
 * `vanish` makes the cloud forget it,
 * `reclaim` terminates a spot instance as the cloud does when it wants the capacity back. False if it was already dead, stopping or stopped, deleted
 * or gone; the first death recorded stands, also when two processes kill it at once.
 */
export async function killInstance(dir: string, files: SimInstanceFiles, how: KillMode, now: Date, reason?: string): Promise<boolean> {
  const state = observeInstance(files, now)?.state;
  if ((state !== 'pending' && state !== 'running' && state !== 'failed') || files.killed || files.stopped) return false;
  // Only spot capacity is reclaimed, and only while it lives.
  if (how === 'reclaim' && (files.record.capacityType !== 'spot' || state === 'failed')) return false;
  const why = reason ?? KILL_REASONS[how];
  return writeKillMarker(dir, files.record, { at: now.toISOString(), how, reason: why });
}
