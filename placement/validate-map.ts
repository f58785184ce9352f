// Refuses maps the mapper could not run faithfully, with every problem named.

import type { CrushBucket, CrushMap, Tunables } from './crush-map.js';
import { DEVICE_TYPE_ID, MAX_U32 } from './crush-map.js';
import type { MapProblem } from './map-errors.js';
import { CrushMapError } from './map-errors.js';
import { bucketLabel } from './map-text.js';
import { findCycle } from './map-cycles.js';
import { ruleProblems } from './validate-rules.js';

/** Ids index flat arrays, so they are bounded; Ceph's own maps stay far below. */
export const MAX_ID_MAGNITUDE = 1 << 20;
const MAX_TRIES = 10_000;

export function validateMap(map: CrushMap): void {
  const problems = mapProblems(map);
  if (problems.length > 0) throw new CrushMapError(map.name, problems);
}

export function mapProblems(map: CrushMap): MapProblem[] {
  const problems = [...tunableProblems(map.tunables), ...idProblems(map)];
  const typeIds = new Set(map.types.map((t) => t.id));
  const itemIds = new Set([...map.devices.map((d) => d.id), ...map.buckets.map((b) => b.id)]);
  for (const bucket of map.buckets) problems.push(...bucketProblems(bucket, typeIds, itemIds));
  const cycle = findCycle(map);
  if (cycle) problems.push({ kind: 'cycle', where: `bucket "${cycle[0]}"`, path: cycle });
  problems.push(...ruleProblems(map));
  return problems;
}

function tunableProblems(t: Tunables): MapProblem[] {
  const checks: [string, number, boolean, string][] = [
    ['choose_local_tries', t.chooseLocalTries, t.chooseLocalTries === 0, '0 (legacy local retries are not implemented)'],
    ['choose_local_fallback_tries', t.chooseLocalFallbackTries, t.chooseLocalFallbackTries === 0, '0 (legacy local retries are not implemented)'],
    ['choose_total_tries', t.chooseTotalTries, isIntIn(t.chooseTotalTries, 0, MAX_TRIES), `an integer 0..${MAX_TRIES}`],
    ['chooseleaf_descend_once', t.chooseleafDescendOnce, isIntIn(t.chooseleafDescendOnce, 0, 1), '0 or 1'],
    ['chooseleaf_vary_r', t.chooseleafVaryR, isIntIn(t.chooseleafVaryR, 0, 32), 'an integer 0..32'],
    ['chooseleaf_stable', t.chooseleafStable, isIntIn(t.chooseleafStable, 0, 1), '0 or 1'],
  ];
  return checks
    .filter(([, , ok]) => !ok)
    .map(([name, value, , expected]) => ({ kind: 'badTunable', where: `tunable ${name}`, value, expected }));
}

function idProblems(map: CrushMap): MapProblem[] {
  const problems: MapProblem[] = [];
  const typeIds = new Map<number, string>();
  for (const t of map.types) {
    const where = `type "${t.name}"`;
    if (!isIntIn(t.id, 0, MAX_ID_MAGNITUDE)) problems.push({ kind: 'badId', where, id: t.id, expected: `an integer 0..${MAX_ID_MAGNITUDE}` });
    const other = typeIds.get(t.id);
    if (other !== undefined) problems.push({ kind: 'duplicateId', where, id: t.id, other: `type "${other}"` });
    typeIds.set(t.id, t.name);
  }
  problems.push(...duplicateNames(map.types.map((t) => t.name), 'types'));
  const itemIds = new Map<number, string>();
  for (const d of map.devices) {
    const where = `device "${d.name}"`;
    if (!isIntIn(d.id, 0, MAX_ID_MAGNITUDE - 1)) problems.push({ kind: 'badId', where, id: d.id, expected: `a device id 0..${MAX_ID_MAGNITUDE - 1}` });
    const other = itemIds.get(d.id);
    if (other !== undefined) problems.push({ kind: 'duplicateId', where, id: d.id, other });
    itemIds.set(d.id, where);
  }
  for (const b of map.buckets) {
    const where = bucketLabel(b.name, b.id);
    if (!isIntIn(b.id, -MAX_ID_MAGNITUDE, -1)) problems.push({ kind: 'badId', where, id: b.id, expected: `a bucket id -1..-${MAX_ID_MAGNITUDE}` });
    const other = itemIds.get(b.id);
    if (other !== undefined) problems.push({ kind: 'duplicateId', where, id: b.id, other });
    itemIds.set(b.id, where);
  }
  problems.push(...duplicateNames([...map.devices, ...map.buckets].map((i) => i.name), 'devices and buckets'));
  return problems;
}

function duplicateNames(names: readonly string[], where: string): MapProblem[] {
  const seen = new Set<string>();
  const reported = new Set<string>();
  const problems: MapProblem[] = [];
  for (const name of names) {
    if (seen.has(name) && !reported.has(name)) {
      problems.push({ kind: 'duplicateName', where, name });
      reported.add(name);
    }
    seen.add(name);
  }
  return problems;
}

function bucketProblems(bucket: CrushBucket, typeIds: ReadonlySet<number>, itemIds: ReadonlySet<number>): MapProblem[] {
  const where = bucketLabel(bucket.name, bucket.id);
  const problems: MapProblem[] = [];
  if (bucket.typeId === DEVICE_TYPE_ID) problems.push({ kind: 'deviceTypeBucket', where });
  else if (!typeIds.has(bucket.typeId)) problems.push({ kind: 'unknownType', where, typeId: bucket.typeId });
  const seen = new Set<number>();
  const hashIds = new Set<number>();
  let sum = 0;
  for (const item of bucket.items) {
    if (!itemIds.has(item.id)) problems.push({ kind: 'danglingItem', where, item: item.id });
    if (seen.has(item.id)) problems.push({ kind: 'duplicateItem', where, item: item.id });
    seen.add(item.id);
    const hashId = (item.hashId ?? item.id) | 0;
    if (hashIds.has(hashId)) problems.push({ kind: 'duplicateHashId', where, hashId });
    hashIds.add(hashId);
    if (!isIntIn(item.weight, 0, MAX_U32)) problems.push({ kind: 'badWeight', where, item: item.id, weight: item.weight });
    else sum += item.weight;
  }
  if (sum > MAX_U32) problems.push({ kind: 'weightOverflow', where, sum });
  return problems;
}

export function isIntIn(value: number, min: number, max: number): boolean {
  return Number.isInteger(value) && value >= min && value <= max;
}
