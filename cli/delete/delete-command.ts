import type { CrdKind } from '../../api/crd/index.js';
import { DEFAULT_NAMESPACE, isNotFound, type ObjectKey } from '../../runtime/store/index.js';
import type { FileStore } from '../../runtime/store/file/index.js';
import type { CommandIo } from '../command.js';
import { resolveResource, resourceNamesHelp } from '../get/resource-names.js';
import { CommandFailure, defineCommand, durationFlag, parseCommandLine, UsageError } from '../shared/command-runner.js';
import { STATE_FLAG_HELP, stateOption, withStateFile } from '../shared/state.js';
import { pollUntil } from '../shared/wait.js';

const DEFAULT_TIMEOUT = '5m';

const HELP = `Usage: polyfleet delete KIND NAME [--wait] [--timeout ${DEFAULT_TIMEOUT}] [--state FILE]

Deletes one object from a local state file. An object with finalizers (a NodePool, a Machine) is
only marked for deletion: a running \`polyfleet run\` on the same state terminates its instances,
then the finalizers go and so does the object.

Kinds: ${resourceNamesHelp()}

Flags:
  --wait                return only once the object is gone (its finalizers have run)
  --timeout DURATION    how long --wait waits, e.g. 90s, 5m, 1h (default ${DEFAULT_TIMEOUT})
  -n, --namespace NS    the namespace (default "${DEFAULT_NAMESPACE}")
${STATE_FLAG_HELP}
  -h, --help            this help

Exit status: 0 deleted (with --wait: gone), 1 not found, still there after --timeout, or the state
file cannot be used, 2 usage error.
`;

const OPTIONS = {
  wait: { type: 'boolean', default: false },
  timeout: { type: 'string', default: DEFAULT_TIMEOUT },
  namespace: { type: 'string', short: 'n', default: DEFAULT_NAMESPACE },
  ...stateOption,
} as const;

export const deleteCommand = defineCommand({
  name: 'delete',
  summary: 'delete an object from a local state file; --wait until its finalizers have run',
  help: HELP,
  async run(argv, io) {
    const { values, positionals } = parseCommandLine(argv, OPTIONS);
    const [resourceName, name, ...extra] = positionals;
    if (resourceName === undefined || name === undefined) throw new UsageError('which object? e.g. polyfleet delete nodepool workers');
    if (extra.length > 0) throw new UsageError(`unexpected arguments: ${extra.join(' ')}`);
    const kind = resolveResource(resourceName);
    if (kind === undefined) throw new UsageError(`unknown kind "${resourceName}"`);
    const timeoutMs = durationFlag('timeout', values.timeout) ?? 0;
    const key = { namespace: values.namespace, name };
    await withStateFile(values.state, false, async (store) => {
      await deleteObject(store, kind, key);
      io.stdout(`${kind.singular}.polyfleet.io "${name}" deleted\n`);
      if (values.wait) await waitUntilGone(store, kind, key, timeoutMs, io);
    });
    return 0;
  },
});

async function deleteObject(store: FileStore, kind: CrdKind, key: ObjectKey): Promise<void> {
  try {
    await store.delete(kind.kind, key);
  } catch (e) {
    if (isNotFound(e)) throw new CommandFailure(`${kind.plural} "${key.name}" not found in namespace "${key.namespace}"`);
    throw e;
  }
}

async function waitUntilGone(store: FileStore, kind: CrdKind, key: ObjectKey, timeoutMs: number, io: CommandIo): Promise<void> {
  let finalizers: readonly string[] = [];
  let told = false;
  const gone = await pollUntil(
    async () => {
      await store.refresh();
      const object = await store.get(kind.kind, key);
      if (object === undefined) return true;
      finalizers = object.metadata.finalizers ?? [];
      if (!told && finalizers.length > 0) {
        io.stderr(`waiting for finalizers ${finalizers.join(', ')} of ${kind.singular} "${key.name}"...\n`);
        told = true;
      }
      return undefined;
    },
    { timeoutMs },
  );
  if (gone === undefined) {
    throw new CommandFailure(
      `${kind.singular} "${key.name}" is still there after --timeout ${Math.round(timeoutMs / 1000)}s, held by finalizers ${finalizers.join(', ') || '(none)'}; ` +
        'is `polyfleet run` running on this state file?',
    );
  }
}
