import type { CommandIo } from '../command.js';

/** One verb of `polyfleet sim`. */
export interface SimSubcommand {
  readonly name: string;
  /** The usage lines of the verb, for its --help and `polyfleet sim --help`. */
  readonly usage: string;
  run(argv: readonly string[], io: CommandIo): Promise<number>;
}

/** The --dir line of a verb's help, its description starting at `column` like the verb's other flags. */
export function dirFlagHelp(column: number): string {
  return `${'--dir DIR'.padEnd(column)}the sim dir (default $POLYFLEET_SIM_DIR, else .polyfleet/sim)`;
}
