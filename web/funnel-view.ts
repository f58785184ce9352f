import type { OfferingFunnel, StrategySpec } from '../api/index.js';

/** One filter of a Strategy as the pool page shows it: what it asks for, and how many candidates it kept. */
export interface FunnelStage {
  readonly filter: string;
  readonly asks: string;
  readonly kept: number;
}

/** The Strategy's filters in the order they run; `emptiedBy` names the first that kept nothing. */
export interface FunnelView {
  readonly stages: readonly FunnelStage[];
  readonly emptiedBy: string | undefined;
}

export function funnelView(spec: StrategySpec, funnel: OfferingFunnel): FunnelView {
  const perNode = spec.budget?.maxHourlyPerNode;
  const stages: FunnelStage[] = [
    { filter: 'accounts', asks: `provider accounts whose catalogue could be read, of ${spec.providers.length}`, kept: funnel.accounts },
    { filter: 'regions', asks: regionsAsked(spec), kept: funnel.regions },
    { filter: 'catalogue', asks: 'offerings (instance type in a zone) those regions have', kept: funnel.catalogue },
    { filter: 'hardware', asks: hardwareAsked(spec.hardware), kept: funnel.hardware },
    { filter: 'software', asks: `an image for ${spec.software.os}${spec.software.images === undefined ? '' : ' (or software.images)'}`, kept: funnel.software },
  ];
  if (perNode !== undefined) stages.push({ filter: 'maxHourlyPerNode', asks: `at most $${perNode}/h per node`, kept: funnel.budget });
  return { stages, emptiedBy: stages.find((s) => s.kept === 0)?.filter };
}

function regionsAsked(spec: StrategySpec): string {
  const geo = spec.geolocation;
  const where = [
    geo?.continents && `continents ${geo.continents.join(', ')}`,
    geo?.countries && `countries ${geo.countries.join(', ')}`,
    geo?.regions && `regions ${geo.regions.join(', ')}`,
  ].filter((s): s is string => typeof s === 'string');
  return `the accounts' regions${where.length === 0 ? '' : ` on ${where.join('; ')}`}`;
}

function hardwareAsked(h: StrategySpec['hardware']): string {
  const parts = [
    h.maxCPU === undefined ? `≥ ${h.minCPU} vCPU` : `${h.minCPU}–${h.maxCPU} vCPU`,
    h.maxMemoryGiB === undefined ? (h.minMemoryGiB > 0 ? `≥ ${h.minMemoryGiB} GiB memory` : undefined) : `${h.minMemoryGiB}–${h.maxMemoryGiB} GiB memory`,
    h.minDiskGiB > 0 ? `≥ ${h.minDiskGiB} GiB disk` : undefined,
    h.arch === undefined ? undefined : h.arch.join(' or '),
    h.gpu === undefined ? undefined : `≥ ${h.gpu.count} GPU${h.gpu.model === undefined ? '' : ` ${h.gpu.model}`}`,
  ];
  return parts.filter((p): p is string => p !== undefined).join(', ');
}
