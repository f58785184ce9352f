import type { Arch, Continent, ProviderOffering, RegionInfo } from '../types.js';
import { hourlyPrice, spotPrice } from './pricing.js';

export interface SimRegion {
  readonly name: string;
  readonly continent: Continent;
  readonly country: string;
  /** Multiplies every base price in the region. */
  readonly priceFactor: number;
  readonly zones: readonly string[];
}

export interface SimInstanceType {
  readonly name: string;
  readonly cpu: number;
  readonly memoryGiB: number;
  readonly arch: Arch;
  readonly gpu: { readonly count: number; readonly model?: string };
  readonly diskGiB: number;
  /** Dollars per hour before region and account factors. */
  readonly basePrice: string;
  /** Zones offering the type; absent: every zone of every region. */
  readonly zones?: readonly string[];
}

/** Everything the simulated cloud offers, the same for every account except prices. */
export interface SimCatalogue {
  readonly regions: readonly SimRegion[];
  readonly instanceTypes: readonly SimInstanceType[];
  /** OS names an image exists for, in every region. */
  readonly images: readonly string[];
}

export function regionInfo(region: SimRegion): RegionInfo {
  return { name: region.name, zones: [...region.zones], continent: region.continent, country: region.country };
}

/**
 * The offerings of `region` for `account`: every type offered in at least one of its zones, on
 * demand and, beside it, as spot at its spot price (pricing.ts), as a cloud with spot lists both.
 */
export function regionOfferings(catalogue: SimCatalogue, region: SimRegion, account: string): ProviderOffering[] {
  const onDemand = onDemandOfferings(catalogue, region, account);
  return [...onDemand, ...onDemand.map((o) => ({ ...o, capacityType: 'spot' as const, hourlyPrice: spotPrice(o.hourlyPrice, account, region.name) }))];
}

function onDemandOfferings(catalogue: SimCatalogue, region: SimRegion, account: string): ProviderOffering[] {
  return catalogue.instanceTypes.flatMap((t) => {
    const zones = region.zones.filter((z) => t.zones === undefined || t.zones.includes(z));
    if (zones.length === 0) return [];
    const gpu = t.gpu.model === undefined ? { count: t.gpu.count } : { count: t.gpu.count, model: t.gpu.model };
    return [
      {
        instanceType: t.name,
        cpu: t.cpu,
        memoryGiB: t.memoryGiB,
        gpu,
        arch: t.arch,
        diskGiB: t.diskGiB,
        hourlyPrice: hourlyPrice(t.basePrice, region.priceFactor, account, region.name),
        zones,
      },
    ];
  });
}

/** Image ids name the OS and region they boot, like a real cloud's per-region image ids. */
export function imageId(os: string, region: string): string {
  return `sim-img-${os}-${region}`;
}
