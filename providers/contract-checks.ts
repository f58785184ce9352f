import { ARCHES, CONTINENTS, MONEY_PATTERN } from '../api/index.js';
import type { Instance, InstanceState, ProviderOffering, RegionInfo } from './types.js';

/**
 * Structural checks of what an adapter returns, for the contract suite. Each returns the problems
 * it found (empty when well-formed), so a failing test says every wrong field at once.
 */

const STATES: readonly string[] = ['pending', 'running', 'stopping', 'stopped', 'terminating', 'terminated', 'failed'] satisfies readonly InstanceState[];
const ADDRESS_TYPES = ['InternalIP', 'ExternalIP', 'Hostname'];

export function regionProblems(r: RegionInfo): string[] {
  const at = `region ${JSON.stringify(r.name)}`;
  return [
    ...(r.name === '' ? [`${at}: empty name`] : []),
    ...(r.zones.length === 0 ? [`${at}: no zones`] : []),
    ...(new Set(r.zones).size !== r.zones.length ? [`${at}: a zone appears twice`] : []),
    ...(r.zones.some((z) => z === '') ? [`${at}: an empty zone name`] : []),
    ...((CONTINENTS as readonly string[]).includes(r.continent) ? [] : [`${at}: continent ${JSON.stringify(r.continent)} is not one of ${CONTINENTS.join(', ')}`]),
    ...(/^[A-Z]{2}$/.test(r.country) ? [] : [`${at}: country ${JSON.stringify(r.country)} is not an ISO 3166-1 alpha-2 code`]),
  ];
}

export function offeringProblems(o: ProviderOffering, region: RegionInfo): string[] {
  const at = `offering ${JSON.stringify(o.instanceType)} in ${region.name}`;
  const problems: string[] = [];
  if (o.instanceType === '') problems.push(`${at}: empty instanceType`);
  if (!Number.isInteger(o.cpu) || o.cpu < 1) problems.push(`${at}: cpu ${o.cpu} is not a whole number ≥ 1`);
  if (!(o.memoryGiB > 0)) problems.push(`${at}: memoryGiB ${o.memoryGiB} is not > 0`);
  if (!Number.isInteger(o.gpu.count) || o.gpu.count < 0) problems.push(`${at}: gpu.count ${o.gpu.count} is not a whole number ≥ 0`);
  if (o.gpu.model !== undefined && o.gpu.model === '') problems.push(`${at}: empty gpu.model`);
  if (!(ARCHES as readonly string[]).includes(o.arch)) problems.push(`${at}: arch ${JSON.stringify(o.arch)} is not one of ${ARCHES.join(', ')}`);
  if (!Number.isInteger(o.diskGiB) || o.diskGiB < 0) problems.push(`${at}: diskGiB ${o.diskGiB} is not a whole number ≥ 0`);
  if (!MONEY_PATTERN.test(o.hourlyPrice)) problems.push(`${at}: hourlyPrice ${JSON.stringify(o.hourlyPrice)} is not a decimal amount`);
  if (o.zones.length === 0) problems.push(`${at}: offered in no zone`);
  const foreign = o.zones.filter((z) => !region.zones.includes(z));
  if (foreign.length > 0) problems.push(`${at}: zones ${foreign.join(', ')} are not zones of the region`);
  return problems;
}

export function instanceProblems(i: Instance, account: string): string[] {
  const at = `instance ${JSON.stringify(i.id)}`;
  const problems: string[] = [];
  if (i.id === '') problems.push(`${at}: empty id`);
  if (i.account !== account) problems.push(`${at}: account ${JSON.stringify(i.account)}, expected ${JSON.stringify(account)}`);
  if (!STATES.includes(i.state)) problems.push(`${at}: state ${JSON.stringify(i.state)} is not one of ${STATES.join(', ')}`);
  if (Number.isNaN(Date.parse(i.createdAt))) problems.push(`${at}: createdAt ${JSON.stringify(i.createdAt)} is not a time`);
  if (!MONEY_PATTERN.test(i.hourlyPrice)) problems.push(`${at}: hourlyPrice ${JSON.stringify(i.hourlyPrice)} is not a decimal amount`);
  for (const a of i.addresses) {
    if (!ADDRESS_TYPES.includes(a.type) || a.address === '') problems.push(`${at}: address ${JSON.stringify(a)} is malformed`);
  }
  return problems;
}
