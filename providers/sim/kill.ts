import { writeKillMarker } from './instance-files.js';
import { observeInstance } from './instance-record.js';
import type { KillMode, SimInstanceFiles } from './instance-record.js';

/**
 * Kills a live instance the way a cloud loses one: `fail` leaves it failed (a hardware fault),
 * `vanish` makes the cloud forget it. False if it was already dead, stopping or stopped, deleted
 * or gone; the first death recorded stands, also when two processes kill it at once.
 */
export async function killInstance(dir: string, files: SimInstanceFiles, how: KillMode, now: Date, reason?: string): Promise<boolean> {
  const state = observeInstance(files, now)?.state;
  if ((state !== 'pending' && state !== 'running' && state !== 'failed') || files.killed || files.stopped) return false;
  const why = reason ?? (how === 'vanish' ? 'the instance vanished (killed in the sim)' : 'the instance failed (killed in the sim)');
  return writeKillMarker(dir, files.record, { at: now.toISOString(), how, reason: why });
}
