import type { CommandIo } from '../command.js';

/** One verb of `polyfleet crush`. */
export interface CrushSubcommand {
  readonly name: string;
  /** The verb's full help: synopsis, what it does, its flags. */
  readonly usage: string;
  run(argv: readonly string[], io: CommandIo): Promise<number>;
}
