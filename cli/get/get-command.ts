import { parseArgs } from 'node:util';
import { stringify } from 'yaml';
import type { Resource } from '../../api/index.js';
import { systemClock, type Clock } from '../../runtime/clock.js';
import { DEFAULT_NAMESPACE } from '../../runtime/store/index.js';
import { CorruptStateError, DEFAULT_STATE_PATH, openFileStore, UnreadableStateError } from '../../runtime/store/file/index.js';
import type { Command, CommandIo } from '../command.js';
import { resolveResource, resourceNamesHelp } from './resource-names.js';
import { formatTable } from './resource-table.js';

const HELP = `Usage: polyfleet get <resource> [NAME] [flags]

Lists objects of one kind from a local state file, the way \`kubectl get\` lists them in a cluster.
It only reads: it works while \`polyfleet run\` writes to the same file.

Resources: ${resourceNamesHelp()}

Flags:
  --state FILE            the state file (default ${DEFAULT_STATE_PATH}, relative to the working directory)
  -n, --namespace NS      the namespace (default "${DEFAULT_NAMESPACE}")
  -A, --all-namespaces    every namespace, with a NAMESPACE column
  -l, --selector SEL      only objects whose labels match, e.g. polyfleet.io/pool=workers
  -o, --output FORMAT     json, yaml or wide (default: a table of NAME, the kind's columns and AGE)
  -h, --help              this help

Exit status: 0 listed (also when nothing matched), 1 the state file is unreadable or corrupt or NAME
does not exist, 2 usage error.
`;

const OPTIONS = {
  state: { type: 'string', default: DEFAULT_STATE_PATH },
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
    summary: 'list NodePools, Strategies, PlacementRules or Machines from a local state file, as kubectl get does',
    run: (argv, io) => runGet(argv, io, clock),
  };
}

export const getCommand = createGetCommand(systemClock);

async function runGet(argv: readonly string[], io: CommandIo, clock: Clock): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({ args: [...argv], options: OPTIONS, allowPositionals: true, strict: true });
  } catch (e) {
    return usageError(io, (e as Error).message);
  }
  const { values, positionals } = parsed;
  if (values.help) {
    io.stdout(HELP);
    return 0;
  }
  const [resourceName, objectName, ...extra] = positionals;
  if (resourceName === undefined) return usageError(io, 'which resource? e.g. polyfleet get machines');
  const kind = resolveResource(resourceName);
  if (kind === undefined) return usageError(io, `unknown resource "${resourceName}"`);
  if (extra.length > 0) return usageError(io, `unexpected arguments: ${extra.join(' ')}`);
  if (!['', 'json', 'yaml', 'wide'].includes(values.output)) return usageError(io, `unknown output format "${values.output}" (json, yaml or wide)`);

  let objects: Resource[];
  try {
    objects = await readObjects(values.state, kind.kind, values['all-namespaces'] ? undefined : values.namespace, values.selector);
  } catch (e) {
    if (e instanceof CorruptStateError || e instanceof UnreadableStateError) {
      io.stderr(`polyfleet get: ${e.message}\n`);
      return 1;
    }
    throw e;
  }
  if (objectName !== undefined) objects = objects.filter((o) => o.metadata.name === objectName);
  if (objectName !== undefined && objects.length === 0) {
    io.stderr(`polyfleet get: ${kind.plural} "${objectName}" not found in namespace "${values.namespace}"\n`);
    return 1;
  }
  io.stdout(render(objects, values.output, objectName !== undefined, () => formatTable(kind, objects, { now: clock.now(), withNamespace: values['all-namespaces'], wide: values.output === 'wide' })));
  if (objects.length === 0 && values.output === '') {
    io.stderr(values['all-namespaces'] ? 'No resources found\n' : `No resources found in ${values.namespace} namespace.\n`);
  }
  return 0;
}

async function readObjects(path: string, kind: Resource['kind'], namespace: string | undefined, labelSelector: string): Promise<Resource[]> {
  const store = await openFileStore({ path, readOnly: true, pollIntervalMs: 0 });
  try {
    return await store.list(kind, { ...(namespace === undefined ? {} : { namespace }), labelSelector });
  } finally {
    await store.close();
  }
}

function render(objects: readonly Resource[], output: string, single: boolean, table: () => string): string {
  const document = single ? objects[0] : { apiVersion: 'v1', kind: 'List', items: objects, metadata: { resourceVersion: '' } };
  if (output === 'json') return `${JSON.stringify(document, null, 2)}\n`;
  if (output === 'yaml') return stringify(document);
  return objects.length === 0 ? '' : table();
}

function usageError(io: CommandIo, message: string): number {
  io.stderr(`polyfleet get: ${message}\n\n${HELP}`);
  return 2;
}
