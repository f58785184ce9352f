import { DescribeInstanceTypeOfferingsCommand, DescribeInstanceTypesCommand } from '@aws-sdk/client-ec2';
import type { _InstanceType, EC2Client, InstanceTypeInfo } from '@aws-sdk/client-ec2';
import type { ProviderOffering } from '../types.js';
import { archOfEc2 } from './images.js';

/**
 * diskGiB of a type without instance storage: the root volume polyfleet launches, which is the
 * image's own root size (8 GiB for the images in images.ts), since create() does not resize it.
 */
export const DEFAULT_ROOT_GIB = 8;

/** Zones offering each instance type in the client's region (DescribeInstanceTypeOfferings, every page). */
async function zonesByType(client: EC2Client): Promise<Map<string, string[]>> {
  const zones = new Map<string, string[]>();
  let token: string | undefined;
  do {
    const page = await client.send(new DescribeInstanceTypeOfferingsCommand({ LocationType: 'availability-zone', MaxResults: 1000, NextToken: token }));
    for (const o of page.InstanceTypeOfferings ?? []) {
      if (o.InstanceType === undefined || o.Location === undefined) continue;
      zones.set(o.InstanceType, [...(zones.get(o.InstanceType) ?? []), o.Location]);
    }
    token = page.NextToken;
  } while (token);
  return zones;
}

/** DescribeInstanceTypes of `types`, 100 at a time (EC2's limit per call). */
export async function describeTypes(client: EC2Client, types: readonly string[]): Promise<InstanceTypeInfo[]> {
  const out: InstanceTypeInfo[] = [];
  for (let i = 0; i < types.length; i += 100) {
    const page = await client.send(new DescribeInstanceTypesCommand({ InstanceTypes: types.slice(i, i + 100) as _InstanceType[] }));
    out.push(...(page.InstanceTypes ?? []));
  }
  return out;
}

function gpuOf(t: InstanceTypeInfo): ProviderOffering['gpu'] {
  const gpus = t.GpuInfo?.Gpus ?? [];
  const count = gpus.reduce((n, g) => n + (g.Count ?? 0), 0);
  const first = gpus[0];
  const model = first?.Name === undefined ? undefined : `${first.Manufacturer ?? ''} ${first.Name}`.trim().toLowerCase().replace(/\s+/g, '-');
  return count === 0 || model === undefined ? { count } : { count, model };
}

/** The architecture polyfleet would run on the type: amd64 where it can, else arm64; others (i386 only, mac) none. */
export function archOfType(t: InstanceTypeInfo): ProviderOffering['arch'] | undefined {
  const arches = (t.ProcessorInfo?.SupportedArchitectures ?? []).map((a) => archOfEc2(a));
  return arches.includes('amd64') ? 'amd64' : arches.includes('arm64') ? 'arm64' : undefined;
}

function offeringOf(t: InstanceTypeInfo, zones: readonly string[], hourlyPrice: string): ProviderOffering | undefined {
  const arch = archOfType(t);
  const cpu = t.VCpuInfo?.DefaultVCpus;
  const mib = t.MemoryInfo?.SizeInMiB;
  if (t.InstanceType === undefined || arch === undefined || cpu === undefined || mib === undefined) return undefined;
  return {
    instanceType: t.InstanceType,
    cpu,
    memoryGiB: mib / 1024,
    gpu: gpuOf(t),
    arch,
    diskGiB: t.InstanceStorageInfo?.TotalSizeInGB ?? DEFAULT_ROOT_GIB,
    hourlyPrice,
    zones: [...zones].sort(),
  };
}

/**
 * The offerings of the client's region: the instance types with a price (priceOf) that some zone
 * offers. A type without a price — from neither the account's `prices`, the Price List nor the
 * shipped table — is left out: placing nodes on an unknown price would make every budget a guess.
 * `known` keeps the region's DescribeInstanceTypes answers: a type's vCPUs and memory do not change,
 * and the Price List prices hundreds of types, so only types not yet described are asked for.
 */
export async function describeOfferings(client: EC2Client, pricedTypes: readonly string[], priceOf: (type: string) => string | undefined, known: Map<string, InstanceTypeInfo>): Promise<ProviderOffering[]> {
  const zones = await zonesByType(client);
  const offered = pricedTypes.filter((t) => zones.has(t));
  for (const info of await describeTypes(client, offered.filter((t) => !known.has(t)))) {
    if (info.InstanceType !== undefined) known.set(info.InstanceType, info);
  }
  const infos = offered.flatMap((t) => {
    const info = known.get(t);
    return info === undefined ? [] : [info];
  });
  return infos
    .flatMap((t) => {
      const type = t.InstanceType ?? '';
      const price = priceOf(type);
      const o = price === undefined ? undefined : offeringOf(t, zones.get(type) ?? [], price);
      return o === undefined ? [] : [o];
    })
    .sort((a, b) => a.instanceType.localeCompare(b.instanceType));
}
