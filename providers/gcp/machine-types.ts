import type { Arch, ProviderOffering } from '../types.js';

/** The machine type fields offerings read, as the SDK decodes them. */
export interface MachineTypeFields {
  readonly name?: string | null;
  readonly guestCpus?: number | null;
  readonly memoryMb?: number | null;
  readonly isSharedCpu?: boolean | null;
  readonly accelerators?: readonly { readonly guestAcceleratorType?: string | null; readonly guestAcceleratorCount?: number | null }[] | null;
  readonly deprecated?: { readonly state?: string | null } | null;
}

/**
 * The boot disk every instance gets (pd-balanced), so an offering's diskGiB is what the node
 * really has: machine types carry no disk, and GCE's own default (the image's size, 10 GB for
 * Ubuntu) is too small for a node's container images.
 */
export const BOOT_DISK_GIB = 20;
export const BOOT_DISK_TYPE = 'pd-balanced';

/** Families on Arm CPUs (Ampere Altra t2a, Google Axion c4a/n4a); every other family is x86-64. */
const ARM64_FAMILIES = new Set(['t2a', 'c4a', 'n4a']);

export function archOf(machineType: string): Arch {
  const family = machineType.split('-')[0] ?? '';
  return ARM64_FAMILIES.has(family) ? 'arm64' : 'amd64';
}

/** One zone's machine type as an offering of that zone (merged across zones by the caller). */
export function offeringOf(type: MachineTypeFields, zone: string, hourlyPrice: string): ProviderOffering | undefined {
  if (!type.name || !type.guestCpus || !type.memoryMb) return undefined;
  if (type.deprecated?.state === 'DELETED' || type.deprecated?.state === 'OBSOLETE') return undefined;
  const accelerator = type.accelerators?.find((a) => (a.guestAcceleratorCount ?? 0) > 0);
  return {
    instanceType: type.name,
    cpu: type.guestCpus,
    memoryGiB: Math.round((type.memoryMb / 1024) * 1000) / 1000,
    gpu: accelerator?.guestAcceleratorType
      ? { count: accelerator.guestAcceleratorCount ?? 0, model: accelerator.guestAcceleratorType }
      : { count: 0 },
    arch: archOf(type.name),
    diskGiB: BOOT_DISK_GIB,
    hourlyPrice,
    zones: [zone],
  };
}

/** Offerings of several zones, one per type, with every zone that offers it, sorted by type. */
export function mergeZones(perZone: readonly ProviderOffering[]): ProviderOffering[] {
  const byType = new Map<string, ProviderOffering>();
  for (const offering of perZone) {
    const seen = byType.get(offering.instanceType);
    byType.set(offering.instanceType, seen === undefined ? offering : { ...seen, zones: [...seen.zones, ...offering.zones] });
  }
  return [...byType.values()].sort((a, b) => a.instanceType.localeCompare(b.instanceType));
}
