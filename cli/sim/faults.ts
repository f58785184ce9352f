import { FAULT_KINDS, isAccountName, readFaultRules, resolveSimDir, upsertRule, writeFaultRules } from '../../providers/sim/index.js';
import type { FaultRule } from '../../providers/sim/index.js';
import { CAPACITY_TYPES } from '../../api/index.js';
import { PROVIDER_OPS } from '../../providers/types.js';
import type { CommandIo } from '../command.js';
import type { FlagValues } from './flags.js';
import { UsageError, booleanFlag, choiceFlag, numberFlag, parseFlags, stringFlag } from './flags.js';
import { dirFlagHelp } from './subcommand.js';
import type { SimSubcommand } from './subcommand.js';

const USAGE = `polyfleet sim faults [--dir DIR]
polyfleet sim faults [--dir DIR] --op OP --kind KIND --rate R [filters]
polyfleet sim faults [--dir DIR] --clear
  Shows, adds or clears the failure rules in the sim dir's faults.json. Every process using the
  sim dir, a running controller too, reads them on each call. A rule for the same op, kind and
  filters replaces the old one. Prints the rules in force as JSON.
  ${dirFlagHelp(21)}
  --op OP              ${PROVIDER_OPS.join(' | ')} (default create for --kind die, invisible)
  --kind KIND          ${FAULT_KINDS.join(' | ')}
                       die: the created instance fails --after-ms after it is running
                       invisible: get, list and delete miss the created instance for --for-ms
                       after its create, as EC2 may for a while after RunInstances
  --rate R             share of matching calls that fail, 0 to 1
  --account NAME, --region NAME, --zone NAME, --instance-type NAME
                       only calls about these
  --capacity-type T    on-demand | spot: only creates buying that way (spot capacity running out)
  --after-ms MS        die: how long the instance runs first (default 0)
  --for-ms MS          invisible: how long the instance stays invisible (required)
  --retry-after-ms MS  throttled: how long the error says to wait
  --clear              remove every rule
`;

export const faultsSubcommand: SimSubcommand = {
  name: 'faults',
  usage: USAGE,
  async run(argv: readonly string[], io: CommandIo): Promise<number> {
    const strings = ['dir', 'op', 'kind', 'rate', 'account', 'region', 'zone', 'instance-type', 'capacity-type', 'after-ms', 'for-ms', 'retry-after-ms'];
    const { values, positionals } = parseFlags(argv, strings, ['clear']);
    if (booleanFlag(values, 'help')) {
      io.stdout(USAGE);
      return 0;
    }
    if (positionals.length > 0) throw new UsageError(`unexpected argument ${JSON.stringify(positionals[0])}`);
    const dir = resolveSimDir(stringFlag(values, 'dir'));
    const ruleFlags = strings.filter((f) => f !== 'dir' && values[f] !== undefined);
    if (booleanFlag(values, 'clear')) {
      if (ruleFlags.length > 0) throw new UsageError(`--clear takes no rule flags, got --${ruleFlags.join(', --')}`);
      await writeFaultRules(dir, []);
    } else if (ruleFlags.length > 0) {
      await writeFaultRules(dir, upsertRule(await readFaultRules(dir), ruleFromFlags(values)));
    }
    io.stdout(`${JSON.stringify({ rules: await readFaultRules(dir) }, null, 2)}\n`);
    return 0;
  },
};

function ruleFromFlags(values: FlagValues): FaultRule {
  const kind = choiceFlag(values, 'kind', FAULT_KINDS);
  if (kind === undefined) throw new UsageError('--kind is required to add a rule');
  const atCreate = kind === 'die' || kind === 'invisible';
  const op = choiceFlag(values, 'op', PROVIDER_OPS) ?? (atCreate ? 'create' : undefined);
  if (op === undefined) throw new UsageError('--op is required to add a rule');
  if (atCreate && op !== 'create') throw new UsageError(`--kind ${kind} goes with --op create (it is drawn for each created instance), got --op ${op}`);
  const rate = numberFlag(values, 'rate', 0, 1);
  if (rate === undefined) throw new UsageError('--rate is required to add a rule');
  const afterMs = numberFlag(values, 'after-ms', 0, Number.MAX_SAFE_INTEGER, true);
  if (afterMs !== undefined && kind !== 'die') throw new UsageError('--after-ms goes with --kind die');
  const forMs = numberFlag(values, 'for-ms', 0, Number.MAX_SAFE_INTEGER, true);
  if (forMs !== undefined && kind !== 'invisible') throw new UsageError('--for-ms goes with --kind invisible');
  if (forMs === undefined && kind === 'invisible') throw new UsageError('--kind invisible needs --for-ms (how long the instance stays invisible)');
  const retryAfterMs = numberFlag(values, 'retry-after-ms', 0, Number.MAX_SAFE_INTEGER, true);
  if (retryAfterMs !== undefined && kind !== 'throttled') throw new UsageError('--retry-after-ms goes with --kind throttled');
  const account = stringFlag(values, 'account');
  if (account !== undefined && !isAccountName(account)) throw new UsageError(`--account must be a DNS label, got ${JSON.stringify(account)}`);
  const filters = { account, region: stringFlag(values, 'region'), zone: stringFlag(values, 'zone'), instanceType: stringFlag(values, 'instance-type'), capacityType: choiceFlag(values, 'capacity-type', CAPACITY_TYPES) };
  return {
    op,
    kind,
    rate,
    ...Object.fromEntries(Object.entries(filters).filter(([, v]) => v !== undefined)),
    ...(afterMs === undefined ? {} : { afterMs }),
    ...(forMs === undefined ? {} : { forMs }),
    ...(retryAfterMs === undefined ? {} : { retryAfterMs }),
  };
}
