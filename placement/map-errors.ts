// What can be wrong with a CRUSH map, each problem naming the bucket, rule step or field at
// fault (the idea of crushha's ConstraintError: refuse the map, say exactly why).

import { assertNever } from './map-text.js';

export type MapProblem =
  /** The JSON does not have the shape of the format: `where` is a field path. */
  | { readonly kind: 'format'; readonly where: string; readonly expected: string }
  | { readonly kind: 'duplicateId'; readonly where: string; readonly id: number; readonly other: string }
  | { readonly kind: 'duplicateName'; readonly where: string; readonly name: string }
  | { readonly kind: 'badId'; readonly where: string; readonly id: number; readonly expected: string }
  | { readonly kind: 'unknownType'; readonly where: string; readonly typeId: number }
  | { readonly kind: 'deviceTypeBucket'; readonly where: string }
  | { readonly kind: 'danglingItem'; readonly where: string; readonly item: number }
  | { readonly kind: 'duplicateItem'; readonly where: string; readonly item: number }
  | { readonly kind: 'duplicateHashId'; readonly where: string; readonly hashId: number }
  | { readonly kind: 'badWeight'; readonly where: string; readonly item: number; readonly weight: number }
  | { readonly kind: 'weightOverflow'; readonly where: string; readonly sum: number }
  | { readonly kind: 'cycle'; readonly where: string; readonly path: readonly string[] }
  | { readonly kind: 'ruleWithoutTake'; readonly where: string }
  | { readonly kind: 'ruleWithoutEmit'; readonly where: string }
  | { readonly kind: 'stepBeforeTake'; readonly where: string }
  | { readonly kind: 'stepAfterLastEmit'; readonly where: string }
  | { readonly kind: 'danglingTake'; readonly where: string; readonly item: number }
  | { readonly kind: 'useOutsideTake'; readonly where: string; readonly root: string }
  | { readonly kind: 'unknownChooseType'; readonly where: string; readonly typeId: number }
  | { readonly kind: 'badTunable'; readonly where: string; readonly value: number; readonly expected: string };

export type MapProblemKind = MapProblem['kind'];

export function describeProblem(p: MapProblem): string {
  switch (p.kind) {
    case 'format':
      return `${p.where}: expected ${p.expected}`;
    case 'duplicateId':
      return `${p.where}: id ${p.id} is already used by ${p.other}`;
    case 'duplicateName':
      return `${p.where}: name "${p.name}" is used twice`;
    case 'badId':
      return `${p.where}: id ${p.id} is invalid, expected ${p.expected}`;
    case 'unknownType':
      return `${p.where}: type id ${p.typeId} is not declared in types`;
    case 'deviceTypeBucket':
      return `${p.where}: has type id 0, which is reserved for devices`;
    case 'danglingItem':
      return `${p.where}: item ${p.item} is neither a device nor a bucket of this map`;
    case 'duplicateItem':
      return `${p.where}: item ${p.item} is listed twice`;
    case 'duplicateHashId':
      return `${p.where}: two items share hash id ${p.hashId}, so they would always draw alike`;
    case 'badWeight':
      return `${p.where}: item ${p.item} has weight ${p.weight}, expected an integer 0..4294967295 (16.16 fixed point)`;
    case 'weightOverflow':
      return `${p.where}: item weights sum to ${p.sum}, past the 32-bit limit 4294967295`;
    case 'cycle':
      return `${p.where}: buckets contain each other: ${p.path.join(' -> ')}`;
    case 'ruleWithoutTake':
      return `${p.where}: has no take step, so it has nothing to choose from`;
    case 'ruleWithoutEmit':
      return `${p.where}: has no emit step, so it never returns a result`;
    case 'stepBeforeTake':
      return `${p.where}: comes before any take step`;
    case 'stepAfterLastEmit':
      return `${p.where}: comes after the last emit, so its result would be dropped`;
    case 'danglingTake':
      return `${p.where}: item ${p.item} is neither a device nor a bucket of this map`;
    case 'useOutsideTake':
      return `${p.where}: the bucket is not inside ${p.root}, the bucket taken before it`;
    case 'unknownChooseType':
      return `${p.where}: type id ${p.typeId} is not declared in types`;
    case 'badTunable':
      return `${p.where}: ${p.value} is not supported, expected ${p.expected}`;
    default:
      return assertNever(p);
  }
}

export class CrushMapError extends Error {
  readonly problems: readonly MapProblem[];

  constructor(mapName: string, problems: readonly MapProblem[]) {
    const lines = problems.map((p) => `  - ${describeProblem(p)}`);
    super(`invalid CRUSH map "${mapName}" (${problems.length} problem${problems.length === 1 ? '' : 's'}):\n${lines.join('\n')}`);
    this.name = 'CrushMapError';
    this.problems = problems;
  }
}
