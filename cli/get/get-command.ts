import { parseArgs } from 'node:util';
import type { CrdKind } from '../../api/crd/index.js';
import type { Resource } from '../../api/index.js';
import { systemClock, type Clock } from '../../runtime/clock.js';
import { DEFAULT_NAMESPACE, LabelSelectorError, parseLabelSelector } from '../../runtime/store/index.js';
import { EtcdUnavailableError, ForeignDataError } from '../../runtime/store/etcd/etcd-errors.js';
import { CorruptStateError, UnreadableStateError } from '../../runtime/store/file/index.js';
import type { Command, CommandIo } from '../command.js';
import { openStandaloneStore, STATE_FLAG_HELP, stateOption, storeLocation, type StoreLocation } from '../shared/state.js';
import { UsageError } from '../shared/usage-error.js';
import { resolveResource, resourceNamesHelp } from './resource-names.js';
import { formatTable } from './resource-table.js';

const HELP = `Usage: polyfleet get <resource> [NAME] [flags]

Lists objects of one kind from a local state file (or etcd, --store), the way \`kubectl get\` lists
them in a cluster. It only reads, so it is safe while another process (a running controller) writes
to the same store.

Resources: ${resourceNamesHelp()}

Flags:
${STATE_FLAG_HELP}
  -n, --namespace NS      the namespace (default "${DEFAULT_NAMESPACE}")
  -A, --all-namespaces    every namespace, with a NAMESPACE column
  -l, --selector SEL      only objects whose labels match, e.g. polyfleet.io/pool=workers
  -o, --output FORMAT     json, yaml or wide (default: a table of NAME, the kind's columns and AGE)
  -h, --help              this help

Exit status: 0 listed (also when nothing matched), 1 the store cannot be used (a state file unreadable
or corrupt, etcd unreachable or refusing the credentials) or NAME
does not exist, 2 usage error.
`;

const OPTIONS = {
  ...stateOption,
  namespace: { type: 'string', short: 'n', default: DEFAULT_NAMESPACE },
  'all-namespaces': { type: 'boolean', short: 'A', default: false },
  selector: { type: 'string', short: 'l', default: '' },
  output: { type: 'string', short: 'o', default: '' },
  help: { type: 'boolean', short: 'h', default: false },
} as const;

/** `polyfleet get`, with the clock its AGE column counts from. */
export function createGetCommand(clock: Clock): Command {
  return {
    name: 'get',
    summary: 'list NodePools, Strategies, PlacementRules, Machines or HostGroups from a local state file or etcd, as kubectl get does',
    run: (argv, io) => runGet(argv, io, clock),
  };
}

export const getCommand = createGetCommand(systemClock);

interface GetRequest {
  readonly kind: CrdKind;
  readonly name: string | undefined;
  readonly location: StoreLocation;
  /** Undefined: every namespace. */
  readonly namespace: string | undefined;
  readonly selector: string;
  readonly output: string;
}


async function runGet(argv: readonly string[], io: CommandIo, clock: Clock): Promise<number> {
  let request: GetRequest | 'help';
  try {
    request = parseRequest(argv);
  } catch (e) {
    if (!(e instanceof UsageError || e instanceof LabelSelectorError || (e as NodeJS.ErrnoException).code?.startsWith('ERR_PARSE_ARGS') === true)) throw e;
    io.stderr(`polyfleet get: ${(e as Error).message}\n\n${HELP}`);
    return 2;
  }
  if (request === 'help') {
    io.stdout(HELP);
    return 0;
  }
  let objects: Resource[];
  try {
    objects = await readObjects(request);
  } catch (e) {
    if (!(e instanceof CorruptStateError || e instanceof UnreadableStateError || e instanceof EtcdUnavailableError || e instanceof ForeignDataError)) throw e;
    io.stderr(`polyfleet get: ${e.message}\n`);
    return 1;
  }
  const where = request.namespace === undefined ? '' : ` in namespace "${request.namespace}"`;
  if (request.name !== undefined && objects.length === 0) {
    io.stderr(`polyfleet get: ${request.kind.plural} "${request.name}" not found${where}\n`);
    return 1;
  }
  const table = () => formatTable(request.kind, objects, { now: clock.now(), withNamespace: request.namespace === undefined, wide: request.output === 'wide' });
  io.stdout(await render(objects, request.output, request.name !== undefined, table));
  if (objects.length === 0 && request.output === '') io.stderr(request.namespace === undefined ? 'No resources found\n' : `No resources found in ${request.namespace} namespace.\n`);
  return 0;
}

function parseRequest(argv: readonly string[]): GetRequest | 'help' {
  const { values, positionals } = parseArgs({ args: [...argv], options: OPTIONS, allowPositionals: true, strict: true });
  if (values.help) return 'help';
  const [resourceName, name, ...extra] = positionals;
  if (resourceName === undefined) throw new UsageError('which resource? e.g. polyfleet get machines');
  const kind = resolveResource(resourceName);
  if (kind === undefined) throw new UsageError(`unknown resource "${resourceName}"`);
  if (extra.length > 0) throw new UsageError(`unexpected arguments: ${extra.join(' ')}`);
  if (!['', 'json', 'yaml', 'wide'].includes(values.output)) throw new UsageError(`unknown output format "${values.output}" (json, yaml or wide)`);
  parseLabelSelector(values.selector);
  const namespace = values['all-namespaces'] ? undefined : values.namespace;
  return { kind, name, location: storeLocation(values), namespace, selector: values.selector, output: values.output };
}

async function readObjects(request: GetRequest): Promise<Resource[]> {
  const store = await openStandaloneStore(request.location, true);
  try {
    const objects = await store.list(request.kind.kind, { ...(request.namespace === undefined ? {} : { namespace: request.namespace }), labelSelector: request.selector });
    return request.name === undefined ? objects : objects.filter((o) => o.metadata.name === request.name);
  } finally {
    await store.close();
  }
}

async function render(objects: readonly Resource[], output: string, single: boolean, table: () => string): Promise<string> {
  const document = single ? objects[0] : { apiVersion: 'v1', kind: 'List', items: objects, metadata: { resourceVersion: '' } };
  if (output === 'json') return `${JSON.stringify(document, null, 2)}\n`;
  // Loaded only for -o yaml: a table or JSON needs none of it.
  if (output === 'yaml') return (await import('yaml')).stringify(document);
  return objects.length === 0 ? '' : table();
}
