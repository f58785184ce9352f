import { moneyToMicros } from '../../api/index.js';
import { SimProvider } from '../../providers/sim/index.js';

/** One place a node of the scenarios' hardware can go, at the price the sim asks there. */
export interface PricedPlace {
  readonly account: string;
  readonly region: string;
  readonly zones: readonly string[];
  readonly instanceType: string;
  readonly hourlyPrice: string;
}

/** The scenarios ask for exactly 2 vCPU, ≥ 4 GiB, amd64, no GPU: one type per place, so a pick is a choice of place. */
export const SCENARIO_HARDWARE = { minCPU: 2, maxCPU: 2, minMemoryGiB: 4, arch: ['amd64'] } as const;

/**
 * Every place the sim dir's catalogue offers that hardware, read through the provider API (the
 * catalogue a controller sees), in the Strategy's `first` order: account, region, as listed.
 */
export async function pricedPlaces(simDir: string, accounts: readonly string[]): Promise<PricedPlace[]> {
  const places: PricedPlace[] = [];
  for (const account of accounts) {
    const provider = new SimProvider({ account, dir: simDir });
    for (const region of await provider.regions()) {
      for (const o of await provider.offerings(region.name)) {
        // On demand only: the scenarios' Strategies leave capacityTypes at its default, which buys no spot.
        if (o.capacityType !== 'spot' && o.cpu === 2 && o.memoryGiB >= 4 && o.arch === 'amd64' && o.gpu.count === 0) {
          places.push({ account, region: region.name, zones: o.zones, instanceType: o.instanceType, hourlyPrice: o.hourlyPrice });
        }
      }
    }
  }
  return places;
}

/** Cheapest first (priciest first with -1); equal prices keep `first` order, as the Strategy ranks them. */
export function byPrice(places: readonly PricedPlace[], direction: 1 | -1 = 1): PricedPlace[] {
  return [...places].sort((a, b) => direction * (moneyToMicros(a.hourlyPrice) - moneyToMicros(b.hourlyPrice)));
}

export function headOf<T>(list: readonly T[], what: string): T {
  const head = list[0];
  if (head === undefined) throw new Error(`the sim catalogue has no ${what}`);
  return head;
}
