import { parseArgs } from 'node:util';

import { UsageError, usageErrorFromParseArgs } from '../shared/usage-error.js';

export { UsageError };

export type FlagValues = Readonly<Record<string, string | boolean | undefined>>;

export interface ParsedFlags {
  readonly values: FlagValues;
  readonly positionals: readonly string[];
}

/** Parses `argv` strictly: an unknown flag or a missing value is a UsageError naming it. */
export function parseFlags(argv: readonly string[], strings: readonly string[], booleans: readonly string[]): ParsedFlags {
  const options = Object.fromEntries([
    ...strings.map((name) => [name, { type: 'string' as const }]),
    ...booleans.map((name) => [name, { type: 'boolean' as const }]),
    ['help', { type: 'boolean' as const, short: 'h' }],
  ]) as Record<string, { type: 'string' | 'boolean'; short?: string }>;
  try {
    const { values, positionals } = parseArgs({ args: [...argv], options, allowPositionals: true, strict: true });
    return { values, positionals };
  } catch (e) {
    throw usageErrorFromParseArgs(e);
  }
}

export function stringFlag(values: FlagValues, name: string): string | undefined {
  const v = values[name];
  return typeof v === 'string' ? v : undefined;
}

export function booleanFlag(values: FlagValues, name: string): boolean {
  return values[name] === true;
}

/** The flag's value as a number in [min, max], or a UsageError naming the flag and value. */
export function numberFlag(values: FlagValues, name: string, min: number, max: number, integer = false): number | undefined {
  const text = stringFlag(values, name);
  if (text === undefined) return undefined;
  const n = text.trim() === '' ? Number.NaN : Number(text);
  if (!Number.isFinite(n) || n < min || n > max || (integer && !Number.isInteger(n))) {
    const what = integer ? 'a whole number' : 'a number';
    throw new UsageError(`--${name} must be ${what} from ${min} to ${max}, got ${JSON.stringify(text)}`);
  }
  return n;
}

/** The flag's value if it is one of `allowed`, else a UsageError listing them. */
export function choiceFlag<T extends string>(values: FlagValues, name: string, allowed: readonly T[]): T | undefined {
  const text = stringFlag(values, name);
  if (text === undefined) return undefined;
  const found = allowed.find((a) => a === text);
  if (found === undefined) throw new UsageError(`--${name} must be one of ${allowed.join(', ')}, got ${JSON.stringify(text)}`);
  return found;
}
