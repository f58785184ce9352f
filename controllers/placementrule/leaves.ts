import { moneyToMicros } from '../../api/index.js';
import type { Offering, PlacementRuleSpec } from '../../api/index.js';
import type { LeafDomain } from '../../placement/index.js';

/** The level names a domain path can be built from; each is a field of an offering. */
export const SUPPORTED_LEVELS = ['provider', 'region', 'zone'] as const;
export type SupportedLevel = (typeof SUPPORTED_LEVELS)[number];

/** What leaf-building reads of an offering: where it is and what it costs. */
export type PlacedOffering = Pick<Offering, 'provider' | 'region' | 'zone' | 'hourlyPrice'>;

/** What leaf-building reads of a PlacementRule. */
export type LeafRuleSpec = Pick<PlacementRuleSpec, 'failureDomains' | 'weighting' | 'domainWeights'>;

/** A PlacementRule names a failure-domain level no offering field answers to. */
export class UnsupportedLevelError extends Error {
  constructor(readonly level: string, readonly index: number) {
    super(`failureDomains[${index}] "${level}" is not a supported level (supported: ${SUPPORTED_LEVELS.join(', ')})`);
    this.name = 'UnsupportedLevelError';
  }
}

export function isSupportedLevel(level: string): level is SupportedLevel {
  return (SUPPORTED_LEVELS as readonly string[]).includes(level);
}

/** Throws UnsupportedLevelError for the first level that is not provider, region or zone. */
export function checkLevels(levels: readonly string[]): SupportedLevel[] {
  return levels.map((level, i) => {
    if (!isSupportedLevel(level)) throw new UnsupportedLevelError(level, i);
    return level;
  });
}

/** The offering's domain path at `levels`: "provider/region/zone" for the default levels. */
export function domainPath(offering: PlacedOffering, levels: readonly SupportedLevel[]): string {
  return levels.map((level) => offering[level]).join('/');
}

/**
 * The leaf failure domains of `offerings` at the rule's levels, sorted by path, weighted by the
 * rule's `weighting` and then multiplied by every `domainWeights` entry naming the leaf or one of
 * its ancestors (0 drains). Pure: the PlacementRule and NodePool controllers compile from the same
 * leaves, so a pool places exactly over the hierarchy its rule's status shows.
 * Throws UnsupportedLevelError for a level other than provider, region or zone.
 */
export function buildLeaves(offerings: readonly PlacedOffering[], spec: LeafRuleSpec): LeafDomain[] {
  const levels = checkLevels(spec.failureDomains);
  const stats = leafStats(offerings, levels);
  const base = baseWeights(stats, spec.weighting);
  return [...stats.keys()].sort().map((path) => ({ path, weight: (base.get(path) ?? 0) * overrideFactor(path, spec.domainWeights) }));
}

interface LeafStats {
  /** Offerings in the leaf. */
  count: number;
  /** The cheapest offering's price, in micro-dollars. */
  minPriceMicros: number;
}

function leafStats(offerings: readonly PlacedOffering[], levels: readonly SupportedLevel[]): Map<string, LeafStats> {
  const stats = new Map<string, LeafStats>();
  for (const offering of offerings) {
    const path = domainPath(offering, levels);
    const price = moneyToMicros(offering.hourlyPrice);
    const prev = stats.get(path);
    stats.set(path, prev === undefined ? { count: 1, minPriceMicros: price } : { count: prev.count + 1, minPriceMicros: Math.min(prev.minPriceMicros, price) });
  }
  return stats;
}

function baseWeights(stats: ReadonlyMap<string, LeafStats>, weighting: PlacementRuleSpec['weighting']): Map<string, number> {
  const raw = new Map<string, number>();
  for (const [path, s] of stats) {
    switch (weighting) {
      case 'equal':
        raw.set(path, 1);
        break;
      // A free offering would weigh infinitely: one micro-dollar is the floor.
      case 'inversePrice':
        raw.set(path, 1 / Math.max(1, s.minPriceMicros));
        break;
      case 'capacity':
        raw.set(path, s.count);
        break;
      default:
        return assertNever(weighting);
    }
  }
  const max = Math.max(0, ...raw.values());
  return new Map([...raw].map(([path, w]) => [path, max === 0 ? 0 : w / max]));
}

/** The product of the overrides for `path` and each of its ancestors. */
function overrideFactor(path: string, domainWeights: Readonly<Record<string, number>> | undefined): number {
  if (domainWeights === undefined) return 1;
  const segments = path.split('/');
  let factor = 1;
  for (let i = 1; i <= segments.length; i++) {
    const prefix = segments.slice(0, i).join('/');
    const w = Object.hasOwn(domainWeights, prefix) ? domainWeights[prefix] : undefined;
    if (w !== undefined) factor *= w;
  }
  return factor;
}

function assertNever(value: never): never {
  throw new Error(`unexpected weighting: ${String(value)}`);
}
