import { findInstanceFiles, killInstance, resolveSimDir } from '../../providers/sim/index.js';
import type { CommandIo } from '../command.js';
import { UsageError, booleanFlag, parseFlags, stringFlag } from './flags.js';
import { dirFlagHelp } from './subcommand.js';
import type { SimSubcommand } from './subcommand.js';

const USAGE = `polyfleet sim reclaim ID [--dir DIR]
  Reclaims a live spot instance as a cloud takes spot capacity back: it is terminated, and says it
  was reclaimed, so a controller counts the interruption and replaces its Machine. Exits 1 if there
  is no such live spot instance.
  ${dirFlagHelp(11)}
`;

export const reclaimSubcommand: SimSubcommand = {
  name: 'reclaim',
  usage: USAGE,
  async run(argv: readonly string[], io: CommandIo): Promise<number> {
    const { values, positionals } = parseFlags(argv, ['dir'], []);
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
      io.stderr(`polyfleet sim reclaim: no instance ${id} in ${dir}\n`);
      return 1;
    }
    if (files.record.capacityType !== 'spot') {
      io.stderr(`polyfleet sim reclaim: ${id} is an on-demand instance; only spot instances are reclaimed\n`);
      return 1;
    }
    if (!(await killInstance(dir, files, 'reclaim', new Date()))) {
      io.stderr(`polyfleet sim reclaim: ${id} was already failed, stopped, deleted or gone; nothing changed\n`);
      return 1;
    }
    io.stdout(`${id} reclaimed\n`);
    return 0;
  },
};
