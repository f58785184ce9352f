/**
 * DO prices are floats (price_hourly 0.00743999984115362); ours are decimal strings of at most six
 * places (api's money format), so the float is rounded once, here, to the micro-dollar.
 */
export function dollarsPerHour(price: number): string {
  if (!Number.isFinite(price) || price < 0) return '0';
  return price.toFixed(6).replace(/\.?0+$/, '') || '0';
}
