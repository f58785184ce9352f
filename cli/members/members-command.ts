import type { Machine } from '../../api/index.js';
import { DEFAULT_NAMESPACE } from '../../runtime/store/index.js';
import { defineCommand, parseCommandLine, UsageError } from '../shared/command-runner.js';
import { STATE_FLAG_HELP, stateOption, storeLocation, withStore } from '../shared/state.js';
import { textTable } from '../shared/text-table.js';

const HELP = `Usage: polyfleet members [--pool NAME] [-n NS | -A] [-o json] [--state FILE | --store etcd://HOST:PORT,...]

Lists the nodes of the pools in a local state file (or etcd, --store), one line per Machine: NODE, ADDRESS, STATUS,
PROVIDER, REGION, ZONE and POOL, by pool and slot. ADDRESS is the external address if the instance
has one, else its internal one. Read-only: safe while \`polyfleet run\` works on the same state.

Flags:
  --pool NAME           only this pool's nodes
  -n, --namespace NS    the namespace (default "${DEFAULT_NAMESPACE}")
  -A, --all-namespaces  every namespace
  -o, --output json     a JSON array instead of the table
${STATE_FLAG_HELP}
  -h, --help            this help

Exit status: 0 listed (also when there are none), 1 the store cannot be used, 2 usage error.
`;

const OPTIONS = {
  pool: { type: 'string' },
  namespace: { type: 'string', short: 'n', default: DEFAULT_NAMESPACE },
  'all-namespaces': { type: 'boolean', short: 'A', default: false },
  output: { type: 'string', short: 'o', default: '' },
  ...stateOption,
} as const;

export interface Member {
  readonly node: string;
  readonly address: string;
  readonly status: string;
  readonly provider: string;
  readonly region: string;
  readonly zone: string;
  readonly pool: string;
  readonly namespace: string;
}

export const membersCommand = defineCommand({
  name: 'members',
  summary: 'list every node of the pools: node, address, status, provider, region, zone',
  help: HELP,
  async run(argv, io) {
    const { values, positionals } = parseCommandLine(argv, OPTIONS);
    if (positionals.length > 0) throw new UsageError(`unexpected argument ${JSON.stringify(positionals[0])}`);
    if (!['', 'json'].includes(values.output)) throw new UsageError(`--output must be json or absent (a table), got ${JSON.stringify(values.output)}`);
    const namespace = values['all-namespaces'] ? undefined : values.namespace;
    const machines = await withStore(storeLocation(values), true, (store) => store.list('Machine', namespace === undefined ? {} : { namespace }));
    const members = machines
      .filter((m) => values.pool === undefined || m.spec.pool === values.pool)
      .sort((a, b) => a.spec.pool.localeCompare(b.spec.pool) || a.spec.slot - b.spec.slot || a.metadata.name.localeCompare(b.metadata.name))
      .map(toMember);
    if (values.output === 'json') io.stdout(`${JSON.stringify(members, null, 2)}\n`);
    else if (members.length === 0) io.stderr('No members\n');
    else io.stdout(textTable(['NODE', 'ADDRESS', 'STATUS', 'PROVIDER', 'REGION', 'ZONE', 'POOL'], members.map((m) => [m.node, m.address, m.status, m.provider, m.region, m.zone, m.pool])));
    return 0;
  },
});

export function toMember(m: Machine): Member {
  const addresses = m.status?.addresses ?? [];
  const address = (addresses.find((a) => a.type === 'ExternalIP') ?? addresses.find((a) => a.type === 'InternalIP') ?? addresses[0])?.address ?? '';
  return {
    node: m.metadata.name,
    address,
    status: m.metadata.deletionTimestamp === undefined ? (m.status?.phase ?? 'Pending') : 'Terminating',
    provider: m.spec.provider,
    region: m.spec.region,
    zone: m.spec.zone,
    pool: m.spec.pool,
    namespace: m.metadata.namespace ?? DEFAULT_NAMESPACE,
  };
}
