import { LeaseConflictError, type LeaseClient, type LeaseRecord, type VersionedLease } from './lease-client.js';

/**
 * The Lease as last read, and when this process first saw it in that state. Expiry counts from
 * that local instant, not from the holder's renewTime, so clocks that disagree between machines
 * do not matter (client-go's rule).
 */
export interface Observation {
  readonly lease: VersionedLease;
  readonly observedAtMs: number;
}

export interface AttemptResult {
  readonly acquired: boolean;
  readonly observation: Observation | undefined;
}

export function holderOf(observation: Observation | undefined): string {
  return observation?.lease.record.holderIdentity ?? '';
}

/** When the observed holder's lease runs out, unless it renews it first. */
export function expiresAtMs(observation: Observation): number {
  return observation.observedAtMs + observation.lease.record.leaseDurationSeconds * 1000;
}

/**
 * client-go's tryAcquireOrRenew: read the Lease; if it is free, released, expired or already ours,
 * write ourselves in as holder with the resourceVersion we read, so of two candidates racing for
 * it exactly one write succeeds.
 */
export async function tryAcquireOrRenew(
  client: LeaseClient,
  identity: string,
  leaseDurationSeconds: number,
  now: Date,
  previous: Observation | undefined,
): Promise<AttemptResult> {
  const fresh = (lease: VersionedLease): Observation => ({ lease, observedAtMs: now.getTime() });
  const current = await client.get();
  if (current === undefined) {
    const record = { holderIdentity: identity, leaseDurationSeconds, acquireTime: now, renewTime: now, leaseTransitions: 0 };
    return lostRaceIsFailure(async () => ({ acquired: true, observation: fresh(await client.create(record)) }), previous);
  }
  const observation = previous?.lease.resourceVersion === current.resourceVersion ? previous : fresh(current);
  const old = current.record;
  const heldByOther = old.holderIdentity !== '' && old.holderIdentity !== identity;
  if (heldByOther && expiresAtMs(observation) > now.getTime()) return { acquired: false, observation };
  const ours = old.holderIdentity === identity;
  const record: LeaseRecord = {
    holderIdentity: identity,
    leaseDurationSeconds,
    acquireTime: ours ? old.acquireTime : now,
    renewTime: now,
    leaseTransitions: ours ? old.leaseTransitions : old.leaseTransitions + 1,
  };
  return lostRaceIsFailure(async () => ({ acquired: true, observation: fresh(await client.update(record, current.resourceVersion)) }), observation);
}

async function lostRaceIsFailure(write: () => Promise<AttemptResult>, observation: Observation | undefined): Promise<AttemptResult> {
  try {
    return await write();
  } catch (error) {
    if (error instanceof LeaseConflictError) return { acquired: false, observation };
    throw error;
  }
}

/**
 * client-go's release: give the Lease up so the next candidate need not wait for it to expire.
 * False if it was not ours to give, or changed since we last saw it (then it expires on its own).
 */
export async function release(client: LeaseClient, identity: string, now: Date, observation: Observation | undefined): Promise<boolean> {
  if (observation === undefined || holderOf(observation) !== identity) return false;
  const record = { holderIdentity: '', leaseDurationSeconds: 1, acquireTime: now, renewTime: now, leaseTransitions: observation.lease.record.leaseTransitions };
  try {
    await client.update(record, observation.lease.resourceVersion);
    return true;
  } catch (error) {
    if (error instanceof LeaseConflictError) return false;
    throw error;
  }
}
