// The compiler's input, shaped like the PlacementRule API (api/ is not imported here: a
// PlacementRule's steps and failureDomains fit these types as they are), and its checks.

import type { SpecProblem } from './spec-errors.js';
import { PlacementSpecError } from './spec-errors.js';

/** One leaf failure domain: a path with one segment per level, and its weight (1.0 = 0x10000). */
export interface LeafDomain {
  readonly path: string;
  /** Non-negative; 0 drains the domain. */
  readonly weight: number;
}

export interface PlacementStepSpec {
  readonly op: 'take' | 'use' | 'choose' | 'chooseleaf' | 'emit';
  /** take, use: "root" or a domain path such as "aws-east/us-east-1". */
  readonly bucket?: string;
  readonly mode?: 'firstn' | 'indep';
  /** 0 or negative: groupSize plus this. Default 0. */
  readonly count?: number;
  /** A level name. */
  readonly type?: string;
}

export interface PlacementSpec {
  /** Failure-domain levels from the top down, e.g. ['provider', 'region', 'zone']. */
  readonly levels: readonly string[];
  readonly groupSize: number;
  readonly steps: readonly PlacementStepSpec[];
  readonly leaves: readonly LeafDomain[];
}

export const ROOT_BUCKET = 'root';
export const MAX_GROUP_SIZE = 1024;

export function checkSpec(spec: PlacementSpec): void {
  const problems = [...levelProblems(spec.levels), ...leafProblems(spec)];
  if (!Number.isInteger(spec.groupSize) || spec.groupSize < 1 || spec.groupSize > MAX_GROUP_SIZE) {
    problems.push({ kind: 'groupSize', where: 'groupSize', detail: `${spec.groupSize} is not an integer 1..${MAX_GROUP_SIZE}` });
  }
  if (problems.length > 0) throw new PlacementSpecError(problems);
}

function levelProblems(levels: readonly string[]): SpecProblem[] {
  const problems: SpecProblem[] = [];
  if (levels.length === 0) problems.push({ kind: 'levels', where: 'levels', detail: 'at least one failure-domain level is needed' });
  levels.forEach((level, i) => {
    if (level === '' || level.includes('/')) problems.push({ kind: 'levels', where: `levels[${i}]`, detail: `"${level}" must be a non-empty word without "/"` });
    if (levels.indexOf(level) !== i) problems.push({ kind: 'levels', where: `levels[${i}]`, detail: `"${level}" is listed twice` });
  });
  return problems;
}

function leafProblems(spec: PlacementSpec): SpecProblem[] {
  const problems: SpecProblem[] = [];
  const seen = new Set<string>();
  spec.leaves.forEach((leaf, i) => {
    const where = `leaves[${i}] "${leaf.path}"`;
    const segments = leaf.path.split('/');
    if (segments.length !== spec.levels.length || segments.some((s) => s === '')) {
      problems.push({ kind: 'leafPath', where, detail: `needs ${spec.levels.length} non-empty segments (${spec.levels.join('/')})` });
    }
    if (segments[0] === ROOT_BUCKET) problems.push({ kind: 'leafPath', where, detail: `"${ROOT_BUCKET}" is reserved for the top of the hierarchy` });
    if (seen.has(leaf.path)) problems.push({ kind: 'leafPath', where, detail: 'is listed twice' });
    seen.add(leaf.path);
    if (!Number.isFinite(leaf.weight) || leaf.weight < 0) problems.push({ kind: 'leafWeight', where, detail: `weight ${leaf.weight} must be a finite number ≥ 0` });
  });
  return problems;
}
