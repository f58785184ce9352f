import type { modules } from 'dots-wrapper';
import type { ProviderOffering } from '../types.js';
import { dollarsPerHour } from './money.js';

/** What GET /v2/sizes says of a GPU size; dots-wrapper's type predates the field. */
interface GpuInfo {
  readonly count?: number;
  readonly model?: string;
}

type Size = modules.size.ISize & { readonly gpu_info?: GpuInfo };

function gpuOf(size: Size): ProviderOffering['gpu'] {
  const info = size.gpu_info;
  if (info === undefined || typeof info.count !== 'number' || info.count < 1) return { count: 0 };
  return { count: info.count, ...(typeof info.model === 'string' && info.model !== '' ? { model: info.model.replace(/_/g, '-') } : {}) };
}

/**
 * The sizes that can be created in `region` now, as offerings. Every DO size is x86-64; the one
 * zone is the region itself. `prices` (instance type → price) wins over the API's price_hourly, which
 * is read with the sizes themselves: an API price as of `readAt`.
 */
export function offeringsOf(sizes: readonly Size[], region: string, prices: Readonly<Record<string, string>>, readAt: string): ProviderOffering[] {
  return sizes
    .filter((s) => s.available && s.regions.includes(region) && s.vcpus >= 1 && s.memory > 0)
    .map((s) => ({
      instanceType: s.slug,
      cpu: s.vcpus,
      memoryGiB: s.memory / 1024,
      gpu: gpuOf(s),
      arch: 'amd64' as const,
      diskGiB: Math.round(s.disk),
      ...(Object.hasOwn(prices, s.slug)
        ? { hourlyPrice: prices[s.slug] ?? '', priceSource: 'override' as const }
        : { hourlyPrice: dollarsPerHour(s.price_hourly), priceSource: 'api' as const, pricedAt: readAt }),
      zones: [region],
    }));
}
