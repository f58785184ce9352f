import type { Command, CommandIo } from '../command.js';
import { UsageError } from './usage-error.js';

/** One verb of a command group such as `polyfleet sim` or `polyfleet crush`. */
export interface Subcommand {
  readonly name: string;
  /** The verb's full help: synopsis, what it does, its flags. */
  readonly usage: string;
  run(argv: readonly string[], io: CommandIo): Promise<number>;
}

export interface CommandGroupSpec {
  readonly name: string;
  readonly summary: string;
  /** What the group does, printed above its verbs' usage. */
  readonly intro: string;
  readonly subcommands: readonly Subcommand[];
  /** Errors the user can act on from their message alone (exit 1, no stack); absent: every error. */
  readonly isFailure?: (e: unknown) => boolean;
}

/** A command that dispatches to verbs: `polyfleet NAME VERB [flags]`, with help, usage errors (exit 2) and failures (exit 1). */
export function commandGroup(spec: CommandGroupSpec): Command {
  const help = `${spec.intro}\n\n${spec.subcommands.map((s) => s.usage).join('\n')}`;
  return {
    name: spec.name,
    summary: spec.summary,
    async run(argv, io) {
      const [verb, ...rest] = argv;
      if (verb === undefined || verb === '--help' || verb === '-h' || verb === 'help') {
        io.stdout(help);
        return verb === undefined ? 2 : 0;
      }
      const sub = spec.subcommands.find((s) => s.name === verb);
      if (!sub) {
        io.stderr(`polyfleet ${spec.name}: unknown command "${verb}" (one of ${spec.subcommands.map((s) => s.name).join(', ')})\n\n${help}`);
        return 2;
      }
      try {
        return await sub.run(rest, io);
      } catch (e) {
        if (e instanceof UsageError) {
          io.stderr(`polyfleet ${spec.name} ${sub.name}: ${e.message}\n\n${sub.usage}`);
          return 2;
        }
        if (spec.isFailure !== undefined && !spec.isFailure(e)) throw e;
        io.stderr(`polyfleet ${spec.name} ${sub.name}: ${e instanceof Error ? e.message : String(e)}\n`);
        return 1;
      }
    },
  };
}
