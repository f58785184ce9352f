// Test-only access to test/vectors/crush, the outputs of Ceph's own C code (its README says how they were made).
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const vectorsDir = path.resolve(repoRoot, 'test/vectors/crush');

export function vectorPath(file: string): string {
  const full = path.join(vectorsDir, file);
  if (!existsSync(full)) {
    throw new Error(
      `CRUSH reference vector ${file} not found at ${full}: the repository holds them in ` +
        `test/vectors/crush; is the checkout complete?`,
    );
  }
  return full;
}

/** The parsed file; callers say what shape they expect. */
export function readVector(file: string): unknown {
  return JSON.parse(readFileSync(vectorPath(file), 'utf8')) as unknown;
}

export interface ExpectedCase {
  id: number;
  rule: number;
  rule_name: string;
  result_max: number;
  x: { start: number; count: number } | number[];
  reweights: number[] | null;
  results: number[][];
}

export interface ExpectedFile {
  map: string;
  map_file: string;
  item_none: number;
  cases: ExpectedCase[];
}

export function caseXs(c: ExpectedCase): number[] {
  if (Array.isArray(c.x)) return c.x;
  const { start, count } = c.x;
  return Array.from({ length: count }, (_, i) => start + i);
}
