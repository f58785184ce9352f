import { microsToMoney, moneyToMicros } from '../../api/index.js';

/**
 * Prices differ by account the way they differ between real clouds, but deterministically: a
 * factor derived from the account name (0.80–1.20), and a smaller one per account and region
 * (0.95–1.05), so `cheapest` picks differ between accounts and between regions of one account.
 */
export function accountPriceFactor(account: string): number {
  return 0.8 + (fnv1a(account) % 4001) / 10_000;
}

export function accountRegionPriceFactor(account: string, region: string): number {
  return 0.95 + (fnv1a(`${account}/${region}`) % 1001) / 10_000;
}

/** The hourly price of a type whose base price is `basePrice`, in `region` (with its own factor), for `account`. */
export function hourlyPrice(basePrice: string, regionFactor: number, account: string, region: string): string {
  const micros = moneyToMicros(basePrice) * regionFactor * accountPriceFactor(account) * accountRegionPriceFactor(account, region);
  return microsToMoney(Math.max(1, Math.round(micros)));
}

/**
 * A type's spot price: 25–45% of its on-demand price, by account and region (as spot discounts
 * differ between clouds and places), at least a micro-dollar.
 */
export function spotPrice(onDemand: string, account: string, region: string): string {
  const share = 0.25 + (fnv1a(`spot/${account}/${region}`) % 2001) / 10_000;
  return microsToMoney(Math.max(1, Math.round(moneyToMicros(onDemand) * share)));
}

/** FNV-1a, 32 bits: stable across processes and versions, unlike anything seeded. */
export function fnv1a(text: string): number {
  let hash = 0x811c9dc5;
  for (const byte of Buffer.from(text, 'utf8')) {
    hash ^= byte;
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash;
}
