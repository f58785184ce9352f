import type { Subcommand } from '../shared/command-group.js';

/** One verb of `polyfleet sim`. */
export type SimSubcommand = Subcommand;

/** The --dir line of a verb's help, its description starting at `column` like the verb's other flags. */
export function dirFlagHelp(column: number): string {
  return `${'--dir DIR'.padEnd(column)}the sim dir (default $POLYFLEET_SIM_DIR, else .polyfleet/sim)`;
}
