import type { SimCatalogue } from './catalogue.js';

/**
 * What the simulated cloud offers when the sim dir has no catalogue.json: three regions on three
 * continents, types from 1 vCPU/1 GiB to 16 vCPU/64 GiB, an arm64 and a GPU type that only some
 * zones offer, so placement and hardware filters have something to choose between.
 */
export const DEFAULT_CATALOGUE: SimCatalogue = {
  regions: [
    { name: 'na-east', continent: 'NA', country: 'US', priceFactor: 1, zones: ['na-east-a', 'na-east-b', 'na-east-c'] },
    { name: 'eu-central', continent: 'EU', country: 'DE', priceFactor: 1.04, zones: ['eu-central-a', 'eu-central-b', 'eu-central-c'] },
    { name: 'ap-northeast', continent: 'AS', country: 'JP', priceFactor: 1.09, zones: ['ap-northeast-a', 'ap-northeast-b'] },
  ],
  instanceTypes: [
    { name: 'sim.micro', cpu: 1, memoryGiB: 1, arch: 'amd64', gpu: { count: 0 }, diskGiB: 10, basePrice: '0.0084' },
    { name: 'sim.small', cpu: 2, memoryGiB: 4, arch: 'amd64', gpu: { count: 0 }, diskGiB: 40, basePrice: '0.0336' },
    { name: 'sim.medium', cpu: 4, memoryGiB: 16, arch: 'amd64', gpu: { count: 0 }, diskGiB: 80, basePrice: '0.1216' },
    { name: 'sim.large', cpu: 16, memoryGiB: 64, arch: 'amd64', gpu: { count: 0 }, diskGiB: 200, basePrice: '0.4864' },
    {
      name: 'sim.arm.medium',
      cpu: 4,
      memoryGiB: 16,
      arch: 'arm64',
      gpu: { count: 0 },
      diskGiB: 80,
      basePrice: '0.0973',
      zones: ['na-east-a', 'na-east-b', 'eu-central-a', 'eu-central-b', 'ap-northeast-a'],
    },
    {
      name: 'sim.gpu.large',
      cpu: 8,
      memoryGiB: 32,
      arch: 'amd64',
      gpu: { count: 1, model: 'nvidia-l4' },
      diskGiB: 200,
      basePrice: '0.8050',
      zones: ['na-east-a', 'eu-central-b'],
    },
  ],
  images: ['ubuntu-24.04', 'ubuntu-22.04', 'debian-12', 'flatcar'],
};
