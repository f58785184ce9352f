// `polyfleet crush`: Ceph-compatible CRUSH mappings and their explanations.

import { CrushMapError } from '../../placement/index.js';
import type { Command, CommandIo } from '../command.js';
import { explainSubcommand } from './explain-subcommand.js';
import { UsageError } from './flags.js';
import { InputError } from './inputs.js';
import { mapSubcommand } from './map-subcommand.js';
import type { CrushSubcommand } from './subcommand.js';

const SUBCOMMANDS: readonly CrushSubcommand[] = [mapSubcommand, explainSubcommand];

const HELP = `polyfleet crush — compute CRUSH mappings exactly as Ceph does, and explain them

Maps are read in the crush-testmap-v1 JSON format (see ../shared/crush-vectors/README.md).

${SUBCOMMANDS.map((s) => s.usage).join('\n')}`;

export const crushCommand: Command = {
  name: 'crush',
  summary: "map inputs with a CRUSH map exactly as Ceph does, and explain a mapping",
  async run(argv: readonly string[], io: CommandIo): Promise<number> {
    const [name, ...rest] = argv;
    if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
      io.stdout(HELP);
      return name === undefined ? 2 : 0;
    }
    const sub = SUBCOMMANDS.find((s) => s.name === name);
    if (!sub) {
      io.stderr(`polyfleet crush: unknown command "${name}" (one of ${SUBCOMMANDS.map((s) => s.name).join(', ')})\n\n${HELP}`);
      return 2;
    }
    return runSubcommand(sub, rest, io);
  },
};

async function runSubcommand(sub: CrushSubcommand, argv: readonly string[], io: CommandIo): Promise<number> {
  try {
    return await sub.run(argv, io);
  } catch (e) {
    if (e instanceof UsageError) {
      io.stderr(`polyfleet crush ${sub.name}: ${e.message}\n\n${sub.usage}`);
      return 2;
    }
    if (e instanceof InputError || e instanceof CrushMapError) {
      io.stderr(`polyfleet crush ${sub.name}: ${e.message}\n`);
      return 1;
    }
    throw e;
  }
}
