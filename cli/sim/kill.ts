import { findInstanceFiles, killInstance, resolveSimDir } from '../../providers/sim/index.js';
import type { CommandIo } from '../command.js';
import { UsageError, booleanFlag, parseFlags, stringFlag } from './flags.js';
import { dirFlagHelp } from './subcommand.js';
import type { SimSubcommand } from './subcommand.js';

const USAGE = `polyfleet sim kill ID [--dir DIR] [--vanish]
  Kills a live instance as a cloud loses one: it shows as failed from now on, so a controller
  replaces it. Exits 1 if there is no such live instance.
  ${dirFlagHelp(11)}
  --vanish   the cloud forgets the instance instead: get finds nothing, list skips it
`;

export const killSubcommand: SimSubcommand = {
  name: 'kill',
  usage: USAGE,
  async run(argv: readonly string[], io: CommandIo): Promise<number> {
    const { values, positionals } = parseFlags(argv, ['dir'], ['vanish']);
    if (booleanFlag(values, 'help')) {
      io.stdout(USAGE);
      return 0;
    }
    const [id, extra] = positionals;
    if (id === undefined) throw new UsageError('which instance? pass its ID');
    if (extra !== undefined) throw new UsageError(`unexpected argument ${JSON.stringify(extra)}`);
    const dir = resolveSimDir(stringFlag(values, 'dir'));
    const files = await findInstanceFiles(dir, id);
    if (files === undefined) {
      io.stderr(`polyfleet sim kill: no instance ${id} in ${dir}\n`);
      return 1;
    }
    const how = booleanFlag(values, 'vanish') ? 'vanish' : 'fail';
    if (!(await killInstance(dir, files, how, new Date()))) {
      io.stderr(`polyfleet sim kill: ${id} was already failed, deleted or gone; nothing changed\n`);
      return 1;
    }
    io.stdout(`${id} ${how === 'vanish' ? 'vanished' : 'failed'}\n`);
    return 0;
  },
};
