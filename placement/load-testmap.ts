// The crush-testmap-v1 JSON format of the reference vectors (test/vectors/crush/README.md), loaded as is.

import type { BucketItem, CrushBucket, CrushMap, CrushRule, RuleStep, Tunables } from './crush-map.js';
import { OPTIMAL_TUNABLES } from './crush-map.js';
import type { JsonObject } from './json-fields.js';
import { FieldReader } from './json-fields.js';
import { CrushMapError } from './map-errors.js';
import { validateMap } from './validate-map.js';

export const TESTMAP_FORMAT = 'crush-testmap-v1';

const CHOOSE_OPS: Readonly<Record<string, { mode: 'firstn' | 'indep'; leaf: boolean }>> = {
  choose_firstn: { mode: 'firstn', leaf: false },
  choose_indep: { mode: 'indep', leaf: false },
  chooseleaf_firstn: { mode: 'firstn', leaf: true },
  chooseleaf_indep: { mode: 'indep', leaf: true },
};

/** Parses and validates; throws CrushMapError listing every problem found. */
export function parseTestMap(json: unknown): CrushMap {
  const read = new FieldReader();
  const root = read.object(json, 'map') ?? {};
  const name = typeof root['name'] === 'string' ? root['name'] : '(unnamed)';
  if (root['format'] !== TESTMAP_FORMAT) read.fail('format', `"${TESTMAP_FORMAT}"`);
  const map: CrushMap = {
    name,
    tunables: readTunables(read, root['tunables']),
    types: read.array(root, 'types', 'map').map((t, i) => readNamed(read, t, `types[${i}]`)),
    devices: read.array(root, 'devices', 'map').map((d, i) => readNamed(read, d, `devices[${i}]`)),
    buckets: read.array(root, 'buckets', 'map').map((b, i) => readBucket(read, b, `buckets[${i}]`)),
    rules: [],
  };
  const rules = read.array(root, 'rules', 'map').map((r, i) => readRule(read, map, r, `rules[${i}]`));
  if (read.problems.length > 0) throw new CrushMapError(name, read.problems);
  const full = { ...map, rules };
  validateMap(full);
  return full;
}

function readTunables(read: FieldReader, value: unknown): Tunables {
  if (value === undefined) return OPTIMAL_TUNABLES;
  const t = read.object(value, 'tunables') ?? {};
  const get = (key: string, fallback: number) => read.optionalInteger(t, key, 'tunables', fallback);
  return {
    chooseLocalTries: get('choose_local_tries', OPTIMAL_TUNABLES.chooseLocalTries),
    chooseLocalFallbackTries: get('choose_local_fallback_tries', OPTIMAL_TUNABLES.chooseLocalFallbackTries),
    chooseTotalTries: get('choose_total_tries', OPTIMAL_TUNABLES.chooseTotalTries),
    chooseleafDescendOnce: get('chooseleaf_descend_once', OPTIMAL_TUNABLES.chooseleafDescendOnce),
    chooseleafVaryR: get('chooseleaf_vary_r', OPTIMAL_TUNABLES.chooseleafVaryR),
    chooseleafStable: get('chooseleaf_stable', OPTIMAL_TUNABLES.chooseleafStable),
  };
}

function readNamed(read: FieldReader, value: unknown, path: string): { id: number; name: string } {
  const obj = read.object(value, path) ?? {};
  return { id: read.integer(obj, 'id', path), name: read.string(obj, 'name', path) };
}

function readBucket(read: FieldReader, value: unknown, path: string): CrushBucket {
  const obj = read.object(value, path) ?? {};
  if (obj['alg'] !== undefined && obj['alg'] !== 'straw2') read.fail(`${path}.alg`, '"straw2", the only bucket algorithm supported');
  if (obj['hash'] !== undefined && obj['hash'] !== 0) read.fail(`${path}.hash`, '0 (rjenkins1)');
  const items = read.array(obj, 'items', path).map((item, i): BucketItem => {
    const at = `${path}.items[${i}]`;
    const o = read.object(item, at) ?? {};
    return { id: read.integer(o, 'id', at), weight: read.integer(o, 'weight', at) };
  });
  return { id: read.integer(obj, 'id', path), name: read.string(obj, 'name', path), typeId: read.integer(obj, 'type_id', path), items };
}

function readRule(read: FieldReader, map: CrushMap, value: unknown, path: string): CrushRule {
  const obj = read.object(value, path) ?? {};
  const steps = read.array(obj, 'steps', path).flatMap((s, i) => readStep(read, map, s, `${path}.steps[${i}]`) ?? []);
  return { id: read.integer(obj, 'id', path), name: read.string(obj, 'name', path), steps };
}

function readStep(read: FieldReader, map: CrushMap, value: unknown, path: string): RuleStep | undefined {
  const obj = read.object(value, path) ?? {};
  const op = obj['op'];
  if (op === 'emit') return { op: 'emit' };
  if (op === 'take' || op === 'use') return { op, item: readItemRef(read, map, obj, path) };
  const choose = typeof op === 'string' ? CHOOSE_OPS[op] : undefined;
  if (choose) return { op: 'choose', ...choose, num: read.integer(obj, 'num', path), typeId: read.integer(obj, 'type_id', path) };
  read.fail(`${path}.op`, `one of take, use, ${Object.keys(CHOOSE_OPS).join(', ')}, emit`);
  return undefined;
}

/** `item` by id, or `item_name` alone resolved against the devices and buckets. */
function readItemRef(read: FieldReader, map: CrushMap, obj: JsonObject, path: string): number {
  if (obj['item'] !== undefined) return read.integer(obj, 'item', path);
  const name = read.string(obj, 'item_name', path);
  const found = [...map.devices, ...map.buckets].find((i) => i.name === name);
  if (found) return found.id;
  read.fail(`${path}.item_name`, `the name of a device or bucket, not "${name}"`);
  return 0;
}
