import { DEFAULT_NAMESPACE } from '../../runtime/store/index.js';
import { resolveResource } from '../get/resource-names.js';
import { CommandFailure, defineCommand, parseCommandLine, UsageError } from '../shared/command-runner.js';
import { STATE_FLAG_HELP, stateOption, storeLocation, withStore } from '../shared/state.js';
import { describeNodePool } from './nodepool-description.js';
import { describeStrategy } from './strategy-description.js';

const HELP = `Usage: polyfleet describe nodepool|strategy NAME [-n NS] [--state FILE | --store etcd://HOST:PORT,...]

Shows one NodePool from a local state file (or etcd, --store) the way \`kubectl describe\` does: its spec, status and
conditions, its failure domains, every Machine (slot, phase, domain, type, price, instance) with
the explanation of why it was placed there, the plan of a dryRun pool, and the pool's events.
For a Strategy: its pick, accounts, budget and conditions (PricesStale among them), and its best
offerings with each price, where it came from (api, table, override) and how old it is.
Read-only: safe while \`polyfleet run\` works on the same state.

Flags:
  -n, --namespace NS    the namespace (default "${DEFAULT_NAMESPACE}")
${STATE_FLAG_HELP}
  -h, --help            this help

Exit status: 0 described, 1 no such pool or the store cannot be used, 2 usage error.
`;

const OPTIONS = { namespace: { type: 'string', short: 'n', default: DEFAULT_NAMESPACE }, ...stateOption } as const;

export const describeCommand = defineCommand({
  name: 'describe',
  summary: 'show a NodePool with its conditions, events and every Machine\'s placement explained, or a Strategy with its prices',
  help: HELP,
  async run(argv, io) {
    const { values, positionals } = parseCommandLine(argv, OPTIONS);
    const [resourceName, name, ...extra] = positionals;
    if (resourceName === undefined || name === undefined) throw new UsageError('which pool? e.g. polyfleet describe nodepool workers');
    if (extra.length > 0) throw new UsageError(`unexpected arguments: ${extra.join(' ')}`);
    const kind = resolveResource(resourceName)?.kind;
    if (kind !== 'NodePool' && kind !== 'Strategy') throw new UsageError(`describe shows nodepools and strategies only, got "${resourceName}"`);
    const namespace = values.namespace;
    const text = await withStore(storeLocation(values), true, async (store) => {
      if (kind === 'Strategy') {
        const strategy = await store.get('Strategy', { namespace, name });
        if (strategy === undefined) throw new CommandFailure(`strategies "${name}" not found in namespace "${namespace}"`);
        return describeStrategy(strategy, new Date());
      }
      const pool = await store.get('NodePool', { namespace, name });
      if (pool === undefined) throw new CommandFailure(`nodepools "${name}" not found in namespace "${namespace}"`);
      const machines = (await store.list('Machine', { namespace })).filter((m) => m.spec.pool === name);
      const events = await store.eventSink().list({ kind: 'NodePool', namespace, name });
      return describeNodePool({ pool, machines, events, now: new Date() });
    });
    io.stdout(text);
    return 0;
  },
});
