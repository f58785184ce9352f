import { moneyToMicros } from '../../api/index.js';
import type { StrategySpec } from '../../api/index.js';
import type { ResolvedOffering } from './types.js';

/** An acceptable offering before ranking, with where it stands in the Strategy's own order. */
export interface Candidate extends Omit<ResolvedOffering, 'rank'> {
  readonly accountIndex: number;
  readonly regionIndex: number;
  readonly zoneIndex: number;
}

/**
 * Sorts by `pick` and numbers the result. `first` (and `random`, which pools shuffle with their
 * own seed): provider order, region order, zone order, then price ascending and type name, so the
 * order never depends on the order a cloud lists things in. `cheapest`/`priciest`: by price,
 * ties in `first` order.
 */
export function rankOfferings(candidates: readonly Candidate[], pick: StrategySpec['pick']): ResolvedOffering[] {
  const first = [...candidates].sort(byFirstOrder);
  const ordered = pick === 'cheapest' ? first.sort(byPrice(1)) : pick === 'priciest' ? first.sort(byPrice(-1)) : first;
  return ordered.map(({ accountIndex: _a, regionIndex: _r, zoneIndex: _z, ...offering }, rank) => ({ ...offering, rank }));
}

function byFirstOrder(a: Candidate, b: Candidate): number {
  return (
    a.accountIndex - b.accountIndex ||
    a.regionIndex - b.regionIndex ||
    a.zoneIndex - b.zoneIndex ||
    moneyToMicros(a.hourlyPrice) - moneyToMicros(b.hourlyPrice) ||
    compareText(a.instanceType, b.instanceType)
  );
}

/** Array.prototype.sort is stable, so equal prices keep `first` order. */
function byPrice(direction: 1 | -1): (a: Candidate, b: Candidate) => number {
  return (a, b) => direction * (moneyToMicros(a.hourlyPrice) - moneyToMicros(b.hourlyPrice));
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
