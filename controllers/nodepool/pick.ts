// The offering a slot takes among those usable in its domain, by the Strategy's pick.

import type { StrategySpec } from '../../api/index.js';
import { crushHash32_2, fnv1a32 } from '../../placement/index.js';
import type { ResolvedOffering } from '../offerings/types.js';

export type PickMode = StrategySpec['pick'];

/**
 * `first`, `cheapest` and `priciest` take the lowest rank (the Strategy already ordered by them);
 * `random` draws from (pool UID, slot), so a pool's choices are the same on every reconcile and
 * every controller replica, and two pools draw independently.
 */
export function pickOffering(
  candidates: readonly ResolvedOffering[],
  pick: PickMode,
  poolUid: string,
  slot: number,
): ResolvedOffering | undefined {
  if (candidates.length === 0) return undefined;
  const byRank = [...candidates].sort((a, b) => a.rank - b.rank);
  if (pick !== 'random') return byRank[0];
  return byRank[seededIndex(poolUid, slot, byRank.length)];
}

/** A reproducible draw in [0, n): rjenkins of the pool UID's FNV hash and the slot, as CRUSH inputs are made. */
export function seededIndex(poolUid: string, slot: number, n: number): number {
  // The constant keeps this draw unrelated to the CRUSH input of the slot's group, which hashes the same pair.
  return crushHash32_2(fnv1a32(`pick/${poolUid}`), slot) % n;
}
