import type { Continent } from '../types.js';

/**
 * Where each Compute Engine region is (https://cloud.google.com/compute/docs/regions-zones): the
 * API names regions but not their country. A region missing here (a new one) is left out of
 * regions() until added, because a Strategy's geolocation could not be checked against it.
 */
const REGION_LOCATIONS: Readonly<Record<string, readonly [Continent, string]>> = {
  'us-central1': ['NA', 'US'],
  'us-east1': ['NA', 'US'],
  'us-east4': ['NA', 'US'],
  'us-east5': ['NA', 'US'],
  'us-south1': ['NA', 'US'],
  'us-west1': ['NA', 'US'],
  'us-west2': ['NA', 'US'],
  'us-west3': ['NA', 'US'],
  'us-west4': ['NA', 'US'],
  'northamerica-northeast1': ['NA', 'CA'],
  'northamerica-northeast2': ['NA', 'CA'],
  'northamerica-south1': ['NA', 'MX'],
  'southamerica-east1': ['SA', 'BR'],
  'southamerica-west1': ['SA', 'CL'],
  'europe-central2': ['EU', 'PL'],
  'europe-north1': ['EU', 'FI'],
  'europe-north2': ['EU', 'SE'],
  'europe-southwest1': ['EU', 'ES'],
  'europe-west1': ['EU', 'BE'],
  'europe-west2': ['EU', 'GB'],
  'europe-west3': ['EU', 'DE'],
  'europe-west4': ['EU', 'NL'],
  'europe-west6': ['EU', 'CH'],
  'europe-west8': ['EU', 'IT'],
  'europe-west9': ['EU', 'FR'],
  'europe-west10': ['EU', 'DE'],
  'europe-west12': ['EU', 'IT'],
  'asia-east1': ['AS', 'TW'],
  'asia-east2': ['AS', 'HK'],
  'asia-northeast1': ['AS', 'JP'],
  'asia-northeast2': ['AS', 'JP'],
  'asia-northeast3': ['AS', 'KR'],
  'asia-south1': ['AS', 'IN'],
  'asia-south2': ['AS', 'IN'],
  'asia-southeast1': ['AS', 'SG'],
  'asia-southeast2': ['AS', 'ID'],
  'australia-southeast1': ['OC', 'AU'],
  'australia-southeast2': ['OC', 'AU'],
  'me-central1': ['AS', 'QA'],
  'me-central2': ['AS', 'SA'],
  'me-west1': ['AS', 'IL'],
  'africa-south1': ['AF', 'ZA'],
};

export function regionLocation(region: string): { continent: Continent; country: string } | undefined {
  const location = REGION_LOCATIONS[region];
  return location === undefined ? undefined : { continent: location[0], country: location[1] };
}
