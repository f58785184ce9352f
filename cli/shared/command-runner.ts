import { parseArgs, type ParseArgsConfig } from 'node:util';
// Each error from the module that defines it, not from its folder's index: every command loads
// this file, and the indexes would load the stores, the schemas and YAML with it.
import { StoreError } from '../../runtime/store/errors.js';
import { DumpError, ImportRefusedError } from '../../runtime/store/dump/dump-errors.js';
import { EtcdUnavailableError, ForeignDataError, UnfinishedImportError } from '../../runtime/store/etcd/etcd-errors.js';
import { LockTimeoutError } from '../../runtime/store/file/file-lock.js';
import { OwnedByError } from '../../runtime/store/file/ownership.js';
import { CorruptStateError, StateFileFailedError, UnreadableStateError } from '../../runtime/store/file/state-file-errors.js';
import type { Command, CommandIo } from '../command.js';
import { UsageError, usageErrorFromParseArgs } from './usage-error.js';
import { BeingDeletedError, ManifestError } from './command-errors.js';

export { UsageError };

/** The command ran into something the user can act on: exit 1 with the message, no stack. */
export class CommandFailure extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CommandFailure';
  }
}

/** Failures whose message already says what went wrong and where; a stack would not help the user. */
const EXPECTED = [CommandFailure, ManifestError, BeingDeletedError, StoreError, CorruptStateError, UnreadableStateError, StateFileFailedError, OwnedByError, LockTimeoutError, EtcdUnavailableError, ForeignDataError, UnfinishedImportError, DumpError, ImportRefusedError];

export interface CommandDefinition {
  readonly name: string;
  readonly summary: string;
  readonly help: string;
  /** Throws UsageError (exit 2) or an expected failure (exit 1); returns the exit code otherwise. */
  run(argv: readonly string[], io: CommandIo): Promise<number>;
}

/** A Command with `--help`, usage errors (exit 2, with the help) and failures (exit 1) handled alike. */
export function defineCommand(definition: CommandDefinition): Command {
  const prefix = `polyfleet ${definition.name}`;
  return {
    name: definition.name,
    summary: definition.summary,
    async run(argv, io) {
      if (argv.includes('--help') || argv.includes('-h')) {
        io.stdout(definition.help);
        return 0;
      }
      try {
        return await definition.run(argv, io);
      } catch (e) {
        if (e instanceof UsageError) {
          io.stderr(`${prefix}: ${e.message}\n\n${definition.help}`);
          return 2;
        }
        if (EXPECTED.some((type) => e instanceof type)) {
          io.stderr(`${prefix}: ${(e as Error).message}\n`);
          return 1;
        }
        throw e;
      }
    },
  };
}

type Options = NonNullable<ParseArgsConfig['options']>;

/** node's parseArgs, strict, with its errors as UsageErrors naming the flag. */
export function parseCommandLine<O extends Options>(argv: readonly string[], options: O) {
  try {
    return parseArgs({ args: [...argv], options, allowPositionals: true, strict: true });
  } catch (e) {
    throw usageErrorFromParseArgs(e);
  }
}

/** A whole number flag in [min, max], or a UsageError naming the flag and value. */
export function intFlag(name: string, text: string | undefined, min: number, max: number): number | undefined {
  if (text === undefined) return undefined;
  const n = text.trim() === '' ? Number.NaN : Number(text);
  if (!Number.isInteger(n) || n < min || n > max) throw new UsageError(`--${name} must be a whole number from ${min} to ${max}, got ${JSON.stringify(text)}`);
  return n;
}

/** "90s", "5m", "1h", "1h30m" or plain seconds → milliseconds, or a UsageError naming the flag. */
export function durationFlag(name: string, text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const match = /^(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?$/.exec(text.trim());
  const plain = /^\d+$/.test(text.trim());
  if ((match === null || text.trim() === '') && !plain) throw new UsageError(`--${name} must be a duration such as 90s, 5m or 1h30m, got ${JSON.stringify(text)}`);
  if (plain) return Number(text) * 1000;
  const [, h = '0', m = '0', s = '0'] = match ?? [];
  return ((Number(h) * 60 + Number(m)) * 60 + Number(s)) * 1000;
}
