import type { Instance, ProviderOffering } from '../types.js';

/** Instance type → hourly price (api's money format), from the Strategy's `providers[].prices`. */
export type PriceOverrides = Readonly<Record<string, string>>;

function overridden(prices: PriceOverrides, instanceType: string): string | undefined {
  return Object.hasOwn(prices, instanceType) ? prices[instanceType] : undefined;
}

/**
 * The offering with the account's own price for its type, if the Strategy gives one. `prices` are
 * on-demand prices (a negotiated rate): a spot offering keeps the spot price its cloud says.
 */
export function priceOffering(prices: PriceOverrides, offering: ProviderOffering): ProviderOffering {
  if (offering.capacityType === 'spot') return offering;
  const price = overridden(prices, offering.instanceType);
  if (price === undefined) return offering;
  const { pricedAt: _readAt, ...rest } = offering;
  return { ...rest, hourlyPrice: price, priceSource: 'override' };
}

/** The instance with the account's own price for its type, so a pool's cost agrees with the offerings it was placed by. */
export function priceInstance(prices: PriceOverrides, instance: Instance): Instance {
  if (instance.capacityType === 'spot') return instance;
  const price = overridden(prices, instance.instanceType);
  return price === undefined ? instance : { ...instance, hourlyPrice: price };
}
