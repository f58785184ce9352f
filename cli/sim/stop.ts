import { DEFAULT_STOP_LATENCY_MS, findInstanceFiles, resolveSimDir, stopInstance } from '../../providers/sim/index.js';
import type { CommandIo } from '../command.js';
import { UsageError, booleanFlag, numberFlag, parseFlags, stringFlag } from './flags.js';
import { dirFlagHelp } from './subcommand.js';
import type { SimSubcommand } from './subcommand.js';

const USAGE = `polyfleet sim stop ID [--dir DIR] [--stopping-ms MS]
  Stops a pending or running instance behind the controller's back, as a cloud's console or a
  scheduled retirement does: it shows stopping, then stopped, and stays listed (and billing) until
  it is deleted. Exits 1 if there is no such pending or running instance.
  ${dirFlagHelp(18)}
  --stopping-ms MS  how long it shows stopping before stopped (default ${DEFAULT_STOP_LATENCY_MS})
`;

export const stopSubcommand: SimSubcommand = {
  name: 'stop',
  usage: USAGE,
  async run(argv: readonly string[], io: CommandIo): Promise<number> {
    const { values, positionals } = parseFlags(argv, ['dir', 'stopping-ms'], []);
    if (booleanFlag(values, 'help')) {
      io.stdout(USAGE);
      return 0;
    }
    const [id, extra] = positionals;
    if (id === undefined) throw new UsageError('which instance? pass its ID');
    if (extra !== undefined) throw new UsageError(`unexpected argument ${JSON.stringify(extra)}`);
    const latencyMs = numberFlag(values, 'stopping-ms', 0, Number.MAX_SAFE_INTEGER, true) ?? DEFAULT_STOP_LATENCY_MS;
    const dir = resolveSimDir(stringFlag(values, 'dir'));
    const files = await findInstanceFiles(dir, id);
    if (files === undefined) {
      io.stderr(`polyfleet sim stop: no instance ${id} in ${dir}\n`);
      return 1;
    }
    if (!(await stopInstance(dir, files, new Date(), latencyMs))) {
      io.stderr(`polyfleet sim stop: ${id} was not pending or running (already stopped, failed, deleted or gone); nothing changed\n`);
      return 1;
    }
    io.stdout(`${id} ${latencyMs === 0 ? 'stopped' : 'stopping'}\n`);
    return 0;
  },
};
