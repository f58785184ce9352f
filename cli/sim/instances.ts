import { stat } from 'node:fs/promises';
import { isAccountName, isVisible, listAllInstanceFiles, observeForRetry, observeInstance, resolveSimDir } from '../../providers/sim/index.js';
import type { CommandIo } from '../command.js';
import { UsageError, booleanFlag, parseFlags, stringFlag } from './flags.js';
import { dirFlagHelp } from './subcommand.js';
import type { SimSubcommand } from './subcommand.js';

const USAGE = `polyfleet sim instances [--dir DIR] [--account NAME] [--all]
  Prints the sim's instances as a JSON array: id, account, region, zone, type, state (pending,
  running, stopping, stopped, terminating, failed; terminated with --all), tags. The sim's own
  view: an instance an invisible fault hides from get and list is shown, with invisibleUntil.
  ${dirFlagHelp(16)}
  --account NAME  only this account's instances
  --all           also terminated instances and ones that vanished
`;

export const instancesSubcommand: SimSubcommand = {
  name: 'instances',
  usage: USAGE,
  async run(argv: readonly string[], io: CommandIo): Promise<number> {
    const { values, positionals } = parseFlags(argv, ['dir', 'account'], ['all']);
    if (booleanFlag(values, 'help')) {
      io.stdout(USAGE);
      return 0;
    }
    if (positionals.length > 0) throw new UsageError(`unexpected argument ${JSON.stringify(positionals[0])}`);
    const account = stringFlag(values, 'account');
    if (account !== undefined && !isAccountName(account)) throw new UsageError(`--account must be a DNS label, got ${JSON.stringify(account)}`);
    const dir = resolveSimDir(stringFlag(values, 'dir'));
    if (!(await isDirectory(dir))) {
      io.stderr(`polyfleet sim instances: no sim state at ${dir} (pass --dir or set POLYFLEET_SIM_DIR)\n`);
      return 1;
    }
    const all = booleanFlag(values, 'all');
    const now = new Date();
    const shown = (await listAllInstanceFiles(dir, account)).flatMap((files) => {
      const instance = all ? observeForRetry(files, now) : observeInstance(files, now);
      if (instance === undefined || (!all && instance.state === 'terminated')) return [];
      const { id, region, zone, instanceType: type, state, stateReason, tags } = instance;
      const invisibleUntil = isVisible(files.record, now) ? undefined : files.record.visibleAt;
      return [{ id, account: instance.account, region, zone, type, state, ...(stateReason === undefined ? {} : { stateReason }), ...(invisibleUntil === undefined ? {} : { invisibleUntil }), tags }];
    });
    io.stdout(`${JSON.stringify(shown, null, 2)}\n`);
    return 0;
  },
};

async function isDirectory(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isDirectory();
  } catch {
    return false;
  }
}
