/** The default leader lease: how long a dead leader keeps the others waiting at most. */
export const DEFAULT_LEADER_LEASE_SECONDS = 15;

/** The shortest lease: etcd rounds shorter leases up to 1.5 election timeouts (2 s by default). */
export const MIN_LEADER_LEASE_SECONDS = 2;

/** The cadences of leadership on etcd, all derived from one lease duration. */
export interface LeaderTiming {
  /** The etcd lease bound to the leader key; also the operator's promise: kill → takeover within it. */
  readonly leaseMs: number;
  /** How often the leader rewrites the leader key (its heartbeat the followers watch). */
  readonly renewMs: number;
  /** How often a follower reads the leader key. */
  readonly pollMs: number;
  /** A follower takes the key once it has seen no rewrite of it for this long (by its own clock). */
  readonly staleMs: number;
  /** A leader stops once no renewal was confirmed for this long, before any follower can take over. */
  readonly fenceMs: number;
  /** How often the leader checks its fence. */
  readonly fenceCheckMs: number;
}

/**
 * A killed leader's last rewrite was at most `renewMs` before the kill; a follower sees it at most
 * `pollMs` later and takes over at most `staleMs + pollMs` after that: the handover lands between
 * `staleMs - renewMs` (10 s of 15) and `staleMs + 2 × pollMs` (14 s of 15) after the kill, inside
 * the lease with room left to start acting. A live leader stops at `fenceMs` after its last confirmed
 * rewrite was sent, `staleMs - fenceMs` (2.5 s of 15) before any follower's clock could let it take
 * over, so two never act at once. The follower does not wait for etcd to expire the lease: etcd
 * restarts every lease's countdown when its own raft leader changes, so a dead leader's key may
 * outlive its lease there by a whole TTL.
 */
export function leaderTiming(leaseSeconds = DEFAULT_LEADER_LEASE_SECONDS): LeaderTiming {
  if (!Number.isInteger(leaseSeconds) || leaseSeconds < MIN_LEADER_LEASE_SECONDS) {
    throw new RangeError(`the leader lease must be a whole number of seconds, at least ${String(MIN_LEADER_LEASE_SECONDS)}; got ${String(leaseSeconds)}`);
  }
  const leaseMs = leaseSeconds * 1000;
  return {
    leaseMs,
    renewMs: leaseMs / 6,
    pollMs: Math.min(1_000, leaseMs / 20),
    staleMs: (leaseMs * 5) / 6,
    fenceMs: (leaseMs * 2) / 3,
    fenceCheckMs: Math.max(50, leaseMs / 30),
  };
}
