import type { Continent } from '../types.js';

/**
 * Where each DigitalOcean region is. The API names a region ("New York 3") but gives no country or
 * continent, which the Strategy's geolocation needs. A datacenter the table lacks is still usable
 * through `regions` in the Strategy; it only escapes geolocation filters, so it is skipped by
 * `regions()` rather than guessed.
 */
const REGION_LOCATIONS: Readonly<Record<string, { readonly continent: Continent; readonly country: string }>> = {
  nyc1: { continent: 'NA', country: 'US' },
  nyc2: { continent: 'NA', country: 'US' },
  nyc3: { continent: 'NA', country: 'US' },
  sfo1: { continent: 'NA', country: 'US' },
  sfo2: { continent: 'NA', country: 'US' },
  sfo3: { continent: 'NA', country: 'US' },
  atl1: { continent: 'NA', country: 'US' },
  // Newer US datacenters (Richmond, and two more seen in region lists of 2026).
  ric1: { continent: 'NA', country: 'US' },
  mkc1: { continent: 'NA', country: 'US' },
  mem1: { continent: 'NA', country: 'US' },
  tor1: { continent: 'NA', country: 'CA' },
  ams2: { continent: 'EU', country: 'NL' },
  ams3: { continent: 'EU', country: 'NL' },
  lon1: { continent: 'EU', country: 'GB' },
  fra1: { continent: 'EU', country: 'DE' },
  blr1: { continent: 'AS', country: 'IN' },
  sgp1: { continent: 'AS', country: 'SG' },
  syd1: { continent: 'OC', country: 'AU' },
};

export function regionLocation(slug: string): { readonly continent: Continent; readonly country: string } | undefined {
  return Object.hasOwn(REGION_LOCATIONS, slug) ? REGION_LOCATIONS[slug] : undefined;
}
