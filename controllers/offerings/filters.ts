import { moneyToMicros } from '../../api/index.js';
import type { ProviderAccount, StrategySpec } from '../../api/index.js';
import type { ProviderOffering, RegionInfo } from '../../providers/index.js';

export type Hardware = StrategySpec['hardware'];
export type Geolocation = NonNullable<StrategySpec['geolocation']>;
export type Software = StrategySpec['software'];

/**
 * The account's regions the Strategy may use, in the order it prefers them: the account's own
 * `regions` list order when given (it is how `first` ranks regions), else the provider's order.
 * `missing` names listed regions the account does not offer.
 */
export function accountRegions(account: ProviderAccount, offered: readonly RegionInfo[]): { regions: RegionInfo[]; missing: string[] } {
  const wanted = account.regions ?? [];
  if (wanted.length === 0) return { regions: [...offered], missing: [] };
  const byName = new Map(offered.map((r) => [r.name, r]));
  const regions = wanted.flatMap((name) => byName.get(name) ?? []);
  return { regions, missing: wanted.filter((name) => !byName.has(name)) };
}

/** Each geolocation list present narrows the choice; absent or empty lists do not. */
export function inGeolocation(region: RegionInfo, geo: Geolocation | undefined): boolean {
  if (geo === undefined) return true;
  const allows = <T>(list: readonly T[] | undefined, value: T) => list === undefined || list.length === 0 || list.includes(value);
  return allows(geo.continents, region.continent) && allows(geo.countries, region.country) && allows(geo.regions, region.name);
}

export function fitsHardware(o: ProviderOffering, hw: Hardware): boolean {
  return (
    o.cpu >= hw.minCPU &&
    (hw.maxCPU === undefined || o.cpu <= hw.maxCPU) &&
    o.memoryGiB >= hw.minMemoryGiB &&
    (hw.maxMemoryGiB === undefined || o.memoryGiB <= hw.maxMemoryGiB) &&
    o.diskGiB >= hw.minDiskGiB &&
    (hw.arch === undefined || hw.arch.length === 0 || hw.arch.includes(o.arch)) &&
    fitsGpu(o.gpu, hw.gpu)
  );
}

function fitsGpu(gpu: ProviderOffering['gpu'], wanted: Hardware['gpu']): boolean {
  if (wanted === undefined) return true;
  if (gpu.count < wanted.count) return false;
  return wanted.model === undefined || gpu.model === wanted.model;
}

/** An explicit image for the account's region from software.images: "account/region" wins over "account". */
export function explicitImage(software: Software, account: string, region: string): string | undefined {
  const images = software.images ?? {};
  const pick = (key: string) => (Object.hasOwn(images, key) ? images[key] : undefined);
  return pick(`${account}/${region}`) ?? pick(account);
}

/** True when the offering costs no more than the per-node limit, compared in exact micro-dollars. */
export function withinNodeBudget(hourlyPrice: string, maxHourlyPerNode: string | undefined): boolean {
  return maxHourlyPerNode === undefined || moneyToMicros(hourlyPrice) <= moneyToMicros(maxHourlyPerNode);
}
