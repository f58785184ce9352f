/**
 * What the fake Compute Engine offers every project: three regions of two or three zones, a
 * machine-type catalogue shaped like the real one (shared-core e2, general-purpose e2/n2/n2d,
 * Arm t2a and c4a, a GPU g2 with an L4 only in some zones), and the public image families.
 * Figures are the real types' vCPUs and memory.
 */

export const API_ROOT = 'https://www.googleapis.com/compute/v1';

export interface FakeMachineType {
  readonly name: string;
  readonly guestCpus: number;
  readonly memoryMb: number;
  readonly isSharedCpu?: boolean;
  readonly accelerator?: { readonly type: string; readonly count: number };
  /** Zone suffixes (a, b, c) that offer it; absent: every zone. */
  readonly zones?: readonly string[];
}

export const REGIONS: readonly { readonly name: string; readonly zones: readonly string[] }[] = [
  { name: 'asia-northeast1', zones: ['a', 'b', 'c'] },
  { name: 'europe-west4', zones: ['a', 'b', 'c'] },
  { name: 'us-central1', zones: ['a', 'b', 'c', 'f'] },
];

export const MACHINE_TYPES: readonly FakeMachineType[] = [
  { name: 'e2-micro', guestCpus: 2, memoryMb: 1024, isSharedCpu: true },
  { name: 'e2-small', guestCpus: 2, memoryMb: 2048, isSharedCpu: true },
  { name: 'e2-medium', guestCpus: 2, memoryMb: 4096, isSharedCpu: true },
  { name: 'e2-standard-2', guestCpus: 2, memoryMb: 8192 },
  { name: 'e2-standard-4', guestCpus: 4, memoryMb: 16384 },
  { name: 'e2-highcpu-2', guestCpus: 2, memoryMb: 2048 },
  { name: 'n2-standard-2', guestCpus: 2, memoryMb: 8192 },
  { name: 'n2-standard-4', guestCpus: 4, memoryMb: 16384, zones: ['a', 'b', 'c'] },
  { name: 'n2d-standard-2', guestCpus: 2, memoryMb: 8192, zones: ['a', 'b'] },
  { name: 't2a-standard-1', guestCpus: 1, memoryMb: 4096, zones: ['a', 'b', 'f'] },
  { name: 't2a-standard-2', guestCpus: 2, memoryMb: 8192, zones: ['a', 'b', 'f'] },
  { name: 'c4a-standard-1', guestCpus: 1, memoryMb: 4096, zones: ['a'] },
  { name: 'g2-standard-4', guestCpus: 4, memoryMb: 16384, accelerator: { type: 'nvidia-l4', count: 1 }, zones: ['a'] },
];

/** Public image projects and their families: family → the newest image's name. */
export const IMAGE_FAMILIES: Readonly<Record<string, Readonly<Record<string, string>>>> = {
  'ubuntu-os-cloud': {
    'ubuntu-2404-lts-amd64': 'ubuntu-2404-noble-amd64-v20251101',
    'ubuntu-2404-lts-arm64': 'ubuntu-2404-noble-arm64-v20251101',
    'ubuntu-2204-lts': 'ubuntu-2204-jammy-v20251101',
    'ubuntu-2204-lts-arm64': 'ubuntu-2204-jammy-arm64-v20251101',
  },
  'debian-cloud': {
    'debian-12': 'debian-12-bookworm-v20251111',
    'debian-12-arm64': 'debian-12-bookworm-arm64-v20251111',
    'debian-13': 'debian-13-trixie-v20251111',
    'debian-13-arm64': 'debian-13-trixie-arm64-v20251111',
  },
  'rocky-linux-cloud': { 'rocky-linux-9': 'rocky-linux-9-v20251110', 'rocky-linux-9-arm64': 'rocky-linux-9-arm64-v20251110' },
  'cos-cloud': { 'cos-stable': 'cos-stable-121-18867-90-38', 'cos-arm64-stable': 'cos-arm64-stable-121-18867-90-38' },
};

export function zonesOf(region: string): string[] {
  const found = REGIONS.find((r) => r.name === region);
  return found === undefined ? [] : found.zones.map((suffix) => `${region}-${suffix}`);
}

export function allZones(): string[] {
  return REGIONS.flatMap((r) => zonesOf(r.name));
}

export function regionOfZone(zone: string): string {
  return zone.slice(0, zone.lastIndexOf('-'));
}

/** X86_64 or ARM64, as GCE's images and machine types say; Arm families are t2a and c4a here. */
export function machineTypeArch(name: string): 'X86_64' | 'ARM64' {
  return /^(t2a|c4a)-/.test(name) ? 'ARM64' : 'X86_64';
}

export function imageArch(name: string): 'X86_64' | 'ARM64' {
  return name.includes('arm64') ? 'ARM64' : 'X86_64';
}

export function machineTypesIn(zone: string): FakeMachineType[] {
  const suffix = zone.slice(zone.lastIndexOf('-') + 1);
  return allZones().includes(zone) ? MACHINE_TYPES.filter((t) => t.zones === undefined || t.zones.includes(suffix)) : [];
}

/** The image an insert's sourceImage names: a full or partial URL of an image or of a family. */
export function resolveImage(source: string): { project: string; name: string } | undefined {
  const match = /(?:^|\/)projects\/([^/]+)\/global\/images\/(family\/)?([^/]+)$/.exec(source);
  if (match === null) return undefined;
  const [, project = '', family, name = ''] = match;
  const families = IMAGE_FAMILIES[project];
  if (families === undefined) return undefined;
  if (family !== undefined) {
    const newest = families[name];
    return newest === undefined ? undefined : { project, name: newest };
  }
  return Object.values(families).includes(name) ? { project, name } : undefined;
}

export function machineTypeJson(type: FakeMachineType, project: string, zone: string, id: number): Record<string, unknown> {
  return {
    kind: 'compute#machineType',
    id: String(id),
    creationTimestamp: '2015-01-16T09:25:43.000-08:00',
    name: type.name,
    description: `${type.guestCpus} vCPUs, ${type.memoryMb / 1024} GB RAM`,
    guestCpus: type.guestCpus,
    memoryMb: type.memoryMb,
    imageSpaceGb: 0,
    maximumPersistentDisks: 128,
    maximumPersistentDisksSizeGb: '263168',
    zone,
    isSharedCpu: type.isSharedCpu ?? false,
    ...(type.accelerator === undefined ? {} : { accelerators: [{ guestAcceleratorType: type.accelerator.type, guestAcceleratorCount: type.accelerator.count }] }),
    selfLink: `${API_ROOT}/projects/${project}/zones/${zone}/machineTypes/${type.name}`,
  };
}
