import type { Command, CommandIo } from '../command.js';
import { faultsSubcommand } from './faults.js';
import { UsageError } from './flags.js';
import { instancesSubcommand } from './instances.js';
import { killSubcommand } from './kill.js';
import type { SimSubcommand } from './subcommand.js';

const SUBCOMMANDS: readonly SimSubcommand[] = [instancesSubcommand, killSubcommand, faultsSubcommand];

const HELP = `polyfleet sim — inspect and disturb the simulated cloud (provider type "sim")

Its instances live in a directory, outside any controller, so these commands work while a
controller runs against the same sim dir.

${SUBCOMMANDS.map((s) => s.usage).join('\n')}`;

export const simCommand: Command = {
  name: 'sim',
  summary: 'inspect and disturb the simulated cloud: list and kill instances, inject faults',
  async run(argv: readonly string[], io: CommandIo): Promise<number> {
    const [name, ...rest] = argv;
    if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
      io.stdout(HELP);
      return name === undefined ? 2 : 0;
    }
    const sub = SUBCOMMANDS.find((s) => s.name === name);
    if (!sub) {
      io.stderr(`polyfleet sim: unknown command "${name}" (one of ${SUBCOMMANDS.map((s) => s.name).join(', ')})\n\n${HELP}`);
      return 2;
    }
    return runSubcommand(sub, rest, io);
  },
};

async function runSubcommand(sub: SimSubcommand, argv: readonly string[], io: CommandIo): Promise<number> {
  try {
    return await sub.run(argv, io);
  } catch (e) {
    if (e instanceof UsageError) {
      io.stderr(`polyfleet sim ${sub.name}: ${e.message}\n\n${sub.usage}`);
      return 2;
    }
    // A bad sim file, an unreadable dir: the message names the file; a stack would not help.
    io.stderr(`polyfleet sim ${sub.name}: ${e instanceof Error ? e.message : String(e)}\n`);
    return 1;
  }
}
