import { systemClock, type Clock } from '../../runtime/clock.js';
import { DEFAULT_NAMESPACE } from '../../runtime/store/index.js';
import type { Command } from '../command.js';
import { defineCommand, parseCommandLine, UsageError } from '../shared/command-runner.js';
import { STATE_FLAG_HELP, stateOption, storeLocation, withStore } from '../shared/state.js';
import { textTable } from '../shared/text-table.js';
import { PRICE_HEADER, priceRows, staleWarnings } from './price-rows.js';

const HELP = `Usage: polyfleet prices [--provider NAME] [--region R] [-n NS | -A] [--state FILE | --store etcd://HOST:PORT,...]

Shows the hourly price of every offering the Strategies accept, as their status has it: where each
price came from (api: the cloud's pricing API; table: the table polyfleet ships, used only when the
API could not be read; override: the Strategy's own providers[].prices) and how long ago it was
read. A Strategy whose prices come from a table or are older than the price TTL (6 hours unless
the controller runs with --price-ttl) says so below the table (its PricesStale condition): budgets
and pick: cheapest use those prices.

Flags:
  --provider NAME       only this provider account (the Strategy's providers[].name)
  --region R            only this region
  -n, --namespace NS    the namespace (default "${DEFAULT_NAMESPACE}")
  -A, --all-namespaces  every namespace
${STATE_FLAG_HELP}
  -h, --help            this help

Exit status: 0 shown (also when nothing matched), 1 the state file cannot be used, 2 usage error.
`;

const OPTIONS = {
  provider: { type: 'string' },
  region: { type: 'string' },
  namespace: { type: 'string', short: 'n', default: DEFAULT_NAMESPACE },
  'all-namespaces': { type: 'boolean', short: 'A', default: false },
  ...stateOption,
} as const;

/** `polyfleet prices`, with the clock its AGE column counts from. */
export function createPricesCommand(clock: Clock): Command {
  return defineCommand({
    name: 'prices',
    summary: 'show the price of every offering, where it came from (api, table, override) and how old it is',
    help: HELP,
    async run(argv, io) {
      const { values, positionals } = parseCommandLine(argv, OPTIONS);
      if (positionals.length > 0) throw new UsageError(`unexpected arguments: ${positionals.join(' ')}`);
      const namespace = values['all-namespaces'] ? undefined : values.namespace;
      const strategies = await withStore(storeLocation(values), true, (store) => store.list('Strategy', namespace === undefined ? {} : { namespace }));
      const filter = { ...(values.provider === undefined ? {} : { provider: values.provider }), ...(values.region === undefined ? {} : { region: values.region }) };
      const rows = priceRows(strategies, filter, clock.now());
      if (rows.length === 0) io.stderr('No offerings with prices found (has the Strategy been reconciled by a running controller?)\n');
      else io.stdout(textTable(PRICE_HEADER, rows));
      for (const warning of staleWarnings(strategies)) io.stderr(`${warning}\n`);
      return 0;
    },
  });
}

export const pricesCommand = createPricesCommand(systemClock);
