// Flag parsing for `polyfleet crush`: strict, and every bad value named with its flag.

import { parseArgs } from 'node:util';
import { UsageError, usageErrorFromParseArgs } from '../shared/usage-error.js';

export { UsageError };

export type FlagValues = Readonly<Record<string, string | boolean | undefined>>;

export const MAX_U32 = 0xffffffff;

/** Only string flags plus --help; an unknown flag, a missing value or a positional is a UsageError. */
export function parseFlags(argv: readonly string[], names: readonly string[], booleans: readonly string[] = []): FlagValues {
  const options: Record<string, { type: 'string' | 'boolean'; short?: string }> = { help: { type: 'boolean', short: 'h' } };
  for (const name of names) options[name] = { type: 'string' };
  for (const name of booleans) options[name] = { type: 'boolean' };
  try {
    const { values, positionals } = parseArgs({ args: joinNegativeValues(argv, names), options, allowPositionals: true, strict: true });
    if (positionals.length > 0) throw new UsageError(`unexpected argument ${JSON.stringify(positionals[0])}`);
    return values;
  } catch (e) {
    throw usageErrorFromParseArgs(e);
  }
}

/** `--result-max -1` would read as two flags; join it so the value check can name it. */
function joinNegativeValues(argv: readonly string[], names: readonly string[]): string[] {
  const args: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? '';
    const next = argv[i + 1];
    if (next !== undefined && /^-\d/.test(next) && names.some((n) => arg === `--${n}`)) {
      args.push(`${arg}=${next}`);
      i++;
    } else {
      args.push(arg);
    }
  }
  return args;
}

export function requiredFlag(values: FlagValues, name: string): string {
  const value = values[name];
  if (typeof value !== 'string') throw new UsageError(`--${name} is required`);
  return value;
}

export function optionalFlag(values: FlagValues, name: string): string | undefined {
  const value = values[name];
  return typeof value === 'string' ? value : undefined;
}

/** A whole number in [min, max] written in decimal, or a UsageError naming flag and value. */
export function integerValue(flag: string, text: string, min: number, max: number): number {
  const n = /^\d+$/.test(text.trim()) ? Number(text.trim()) : Number.NaN;
  if (!Number.isSafeInteger(n) || n < min || n > max) {
    throw new UsageError(`--${flag} must be a whole number from ${min} to ${max}, got ${JSON.stringify(text)}`);
  }
  return n;
}
