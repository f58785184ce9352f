import type { Continent } from '../types.js';

interface Location {
  readonly continent: Continent;
  readonly country: string;
}

/**
 * Where each EC2 region is (AWS's region list, https://docs.aws.amazon.com/global-infrastructure/latest/regions/aws-regions.html).
 */
const REGION_LOCATIONS: Readonly<Record<string, Location>> = {
  'us-east-1': { continent: 'NA', country: 'US' },
  'us-east-2': { continent: 'NA', country: 'US' },
  'us-west-1': { continent: 'NA', country: 'US' },
  'us-west-2': { continent: 'NA', country: 'US' },
  'us-gov-east-1': { continent: 'NA', country: 'US' },
  'us-gov-west-1': { continent: 'NA', country: 'US' },
  'ca-central-1': { continent: 'NA', country: 'CA' },
  'ca-west-1': { continent: 'NA', country: 'CA' },
  'mx-central-1': { continent: 'NA', country: 'MX' },
  'sa-east-1': { continent: 'SA', country: 'BR' },
  'eu-west-1': { continent: 'EU', country: 'IE' },
  'eu-west-2': { continent: 'EU', country: 'GB' },
  'eu-west-3': { continent: 'EU', country: 'FR' },
  'eu-central-1': { continent: 'EU', country: 'DE' },
  'eu-central-2': { continent: 'EU', country: 'CH' },
  'eu-north-1': { continent: 'EU', country: 'SE' },
  'eu-south-1': { continent: 'EU', country: 'IT' },
  'eu-south-2': { continent: 'EU', country: 'ES' },
  'il-central-1': { continent: 'AS', country: 'IL' },
  'me-central-1': { continent: 'AS', country: 'AE' },
  'me-south-1': { continent: 'AS', country: 'BH' },
  'af-south-1': { continent: 'AF', country: 'ZA' },
  'ap-east-1': { continent: 'AS', country: 'HK' },
  'ap-east-2': { continent: 'AS', country: 'TW' },
  'ap-south-1': { continent: 'AS', country: 'IN' },
  'ap-south-2': { continent: 'AS', country: 'IN' },
  'ap-northeast-1': { continent: 'AS', country: 'JP' },
  'ap-northeast-2': { continent: 'AS', country: 'KR' },
  'ap-northeast-3': { continent: 'AS', country: 'JP' },
  'ap-southeast-1': { continent: 'AS', country: 'SG' },
  'ap-southeast-2': { continent: 'OC', country: 'AU' },
  'ap-southeast-3': { continent: 'AS', country: 'ID' },
  'ap-southeast-4': { continent: 'OC', country: 'AU' },
  'ap-southeast-5': { continent: 'AS', country: 'MY' },
  'ap-southeast-6': { continent: 'OC', country: 'NZ' },
  'ap-southeast-7': { continent: 'AS', country: 'TH' },
  'cn-north-1': { continent: 'AS', country: 'CN' },
  'cn-northwest-1': { continent: 'AS', country: 'CN' },
};

/**
 * Continent and country of an EC2 region, or undefined for one this table does not know yet: such a
 * region is left out of regions() rather than placed by a guess that a geolocation filter would trust.
 */
export function regionLocation(region: string): Location | undefined {
  return Object.hasOwn(REGION_LOCATIONS, region) ? REGION_LOCATIONS[region] : undefined;
}
