/**
 * The fake's catalogue, shaped like GET /v2/regions, /v2/sizes and /v2/images/{slug} of the
 * public API reference (digitalocean/openapi), with list prices of 2025. Four open regions on three
 * continents and one closed (nyc2: `available: false`, as DO shows retired datacenters); sizes
 * differ per region, so a size missing from a region is a real case, and one GPU size carries
 * `gpu_info` like the real one.
 */

export interface FakeRegion {
  readonly slug: string;
  readonly name: string;
  readonly available: boolean;
  readonly features: readonly string[];
  readonly sizes: readonly string[];
}

export interface FakeSize {
  readonly slug: string;
  readonly memory: number;
  readonly vcpus: number;
  readonly disk: number;
  readonly transfer: number;
  readonly price_monthly: number;
  readonly price_hourly: number;
  readonly regions: readonly string[];
  readonly available: boolean;
  readonly description: string;
  readonly gpu_info?: { readonly count: number; readonly vram: { readonly amount: number; readonly unit: string }; readonly model: string };
}

export interface FakeImage {
  readonly id: number;
  readonly name: string;
  readonly distribution: string;
  readonly slug: string;
  readonly public: boolean;
  readonly regions: readonly string[];
  readonly created_at: string;
  readonly type: string;
  readonly min_disk_size: number;
  readonly size_gigabytes: number;
  readonly description: string;
  readonly tags: readonly string[];
  readonly status: string;
  readonly error_message: string;
}

const ALL = ['nyc3', 'sfo3', 'ams3', 'tor1'];

const size = (slug: string, vcpus: number, memory: number, disk: number, priceMonthly: number, priceHourly: number, regions: readonly string[], description: string): FakeSize => ({
  slug,
  memory,
  vcpus,
  disk,
  transfer: Math.max(1, memory / 1024),
  price_monthly: priceMonthly,
  price_hourly: priceHourly,
  regions,
  available: true,
  description,
});

export const SIZES: readonly FakeSize[] = [
  size('s-1vcpu-1gb', 1, 1024, 25, 6, 0.00893, ALL, 'Basic'),
  size('s-1vcpu-2gb', 1, 2048, 50, 12, 0.01786, ALL, 'Basic'),
  size('s-2vcpu-2gb', 2, 2048, 60, 18, 0.02679, ALL, 'Basic'),
  size('s-2vcpu-4gb', 2, 4096, 80, 24, 0.03571, ALL, 'Basic'),
  size('s-4vcpu-8gb', 4, 8192, 160, 48, 0.07143, ALL, 'Basic'),
  size('c-2', 2, 4096, 25, 42, 0.0625, ['nyc3', 'sfo3', 'ams3'], 'CPU-Optimized'),
  size('c-4', 4, 8192, 50, 84, 0.125, ['nyc3', 'sfo3', 'ams3'], 'CPU-Optimized'),
  size('g-2vcpu-8gb', 2, 8192, 25, 63, 0.09375, ['nyc3', 'ams3'], 'General Purpose'),
  size('m-2vcpu-16gb', 2, 16384, 50, 84, 0.125, ['nyc3', 'sfo3'], 'Memory-Optimized'),
  { ...size('s-8vcpu-16gb', 8, 16384, 320, 96, 0.14286, ALL, 'Basic'), available: false },
  {
    ...size('gpu-h100x1-80gb', 20, 245760, 720, 2522.16, 3.39, ['tor1', 'nyc3'], 'GPU Droplet'),
    gpu_info: { count: 1, vram: { amount: 80, unit: 'gib' }, model: 'nvidia_h100' },
  },
];

const region = (slug: string, name: string, available = true): FakeRegion => ({
  slug,
  name,
  available,
  features: ['backups', 'ipv6', 'metadata', 'install_agent', 'storage', 'image_transfer'],
  sizes: available ? SIZES.filter((s) => s.available && s.regions.includes(slug)).map((s) => s.slug) : [],
});

export const REGIONS: readonly FakeRegion[] = [
  region('nyc3', 'New York 3'),
  region('sfo3', 'San Francisco 3'),
  region('ams3', 'Amsterdam 3'),
  region('tor1', 'Toronto 1'),
  region('nyc2', 'New York 2', false),
];

const image = (id: number, slug: string, distribution: string, name: string, regions: readonly string[]): FakeImage => ({
  id,
  name,
  distribution,
  slug,
  public: true,
  regions,
  created_at: '2025-04-24T15:21:43Z',
  type: 'base',
  min_disk_size: 7,
  size_gigabytes: 2.36,
  description: `${distribution} ${name} x64`,
  tags: [],
  status: 'available',
  error_message: '',
});

export const IMAGES: readonly FakeImage[] = [
  image(182556282, 'ubuntu-24-04-x64', 'Ubuntu', '24.04 (LTS) x64', ALL),
  image(182556283, 'ubuntu-22-04-x64', 'Ubuntu', '22.04 (LTS) x64', ALL),
  image(182556284, 'debian-12-x64', 'Debian', '12 x64', ['nyc3', 'sfo3', 'ams3']),
];
