import { writeStopMarker } from './instance-files.js';
import { observeInstance } from './instance-record.js';
import type { SimInstanceFiles } from './instance-record.js';

/** How long a stop takes when the caller does not say (SimProvider's stopLatencyMs, `polyfleet sim stop`). */
export const DEFAULT_STOP_LATENCY_MS = 1_000;

/**
 * Stops a pending or running instance behind the adapter's back, as a cloud does (EC2 for a
 * scheduled retirement, a user in the console): it shows `stopping` for `latencyMs`, then `stopped`,
 * and stays so, still billing, until deleted. False if it was not pending or running (failed,
 * stopped, deleted, gone); the first stop recorded stands, also when two processes stop it at once.
 * `by` is the caller's identity, recorded as a cloud's audit log does (absent: none given).
 */
export async function stopInstance(dir: string, files: SimInstanceFiles, now: Date, latencyMs: number = DEFAULT_STOP_LATENCY_MS, by?: string): Promise<boolean> {
  const state = observeInstance(files, now)?.state;
  if ((state !== 'pending' && state !== 'running') || files.stopped) return false;
  return writeStopMarker(dir, files.record, {
    requestedAt: now.toISOString(),
    stoppedAt: new Date(now.getTime() + latencyMs).toISOString(),
    ...(by === undefined ? {} : { by }),
  });
}
