import { ARCHES, CONTINENTS, MONEY_PATTERN } from '../../api/index.js';
import { readFileIfExists } from './atomic-files.js';
import type { SimCatalogue, SimInstanceType, SimRegion } from './catalogue.js';
import { DEFAULT_CATALOGUE } from './default-catalogue.js';
import { JsonFields, SimFileError } from './json-fields.js';
import { catalogueFile } from './sim-dir.js';

/** The sim dir's catalogue.json if there is one (it replaces the default whole), else the default. */
export async function loadCatalogue(dir: string): Promise<SimCatalogue> {
  const file = catalogueFile(dir);
  const text = await readFileIfExists(file);
  return text === undefined ? DEFAULT_CATALOGUE : parseCatalogue(file, text);
}

export function parseCatalogue(file: string, text: string): SimCatalogue {
  const root = JsonFields.parse(file, text);
  const regions = root.objects('regions').map(parseRegion);
  const zones = new Set(regions.flatMap((r) => r.zones));
  const instanceTypes = root.objects('instanceTypes').map((t) => parseInstanceType(t, zones));
  const catalogue = { regions, instanceTypes, images: root.strings('images') };
  if (regions.length === 0) throw new SimFileError(file, 'regions', 'must list at least one region');
  requireUnique(file, 'regions', regions.map((r) => r.name));
  requireUnique(file, 'zones', [...regions.flatMap((r) => r.zones)]);
  requireUnique(file, 'instanceTypes', instanceTypes.map((t) => t.name));
  return catalogue;
}

function parseRegion(r: JsonFields): SimRegion {
  const country = r.string('country');
  if (!/^[A-Z]{2}$/.test(country)) throw r.fail('country', 'an ISO 3166-1 alpha-2 code such as "US"', country);
  return {
    name: r.string('name'),
    continent: r.oneOf('continent', CONTINENTS),
    country,
    priceFactor: r.optionalNumber('priceFactor', 0.01, 100) ?? 1,
    zones: r.strings('zones'),
  };
}

function parseInstanceType(t: JsonFields, knownZones: ReadonlySet<string>): SimInstanceType {
  const basePrice = t.string('basePrice');
  if (!MONEY_PATTERN.test(basePrice)) throw t.fail('basePrice', 'a decimal dollar amount such as "0.0300"', basePrice);
  const zones = t.optionalStrings('zones');
  const unknown = zones?.find((z) => !knownZones.has(z));
  if (unknown !== undefined) throw t.fail('zones', 'zones of the catalogue\'s regions', unknown);
  const gpuFields = t.optionalObject('gpu');
  const gpuCount = gpuFields ? integer(gpuFields, 'count', 0) : 0;
  const model = gpuFields?.optionalString('model');
  return {
    name: t.string('name'),
    cpu: integer(t, 'cpu', 1),
    memoryGiB: t.number('memoryGiB', 0.001),
    arch: t.oneOf('arch', ARCHES),
    gpu: model === undefined ? { count: gpuCount } : { count: gpuCount, model },
    diskGiB: integer(t, 'diskGiB', 1),
    basePrice,
    ...(zones === undefined ? {} : { zones }),
  };
}

function integer(fields: JsonFields, key: string, min: number): number {
  const n = fields.number(key, min);
  if (!Number.isInteger(n)) throw fields.fail(key, 'a whole number', n);
  return n;
}

function requireUnique(file: string, field: string, names: readonly string[]): void {
  const dup = names.find((n, i) => names.indexOf(n) !== i);
  if (dup !== undefined) throw new SimFileError(file, field, `"${dup}" appears twice`);
}
