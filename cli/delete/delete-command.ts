import type { CrdKind } from '../../api/crd/index.js';
import { resolveSimDir } from '../../providers/sim/index.js';
import { DEFAULT_NAMESPACE, isNotFound, type ObjectKey } from '../../runtime/store/index.js';
import type { CommandIo } from '../command.js';
import { resolveResource, resourceNamesHelp } from '../get/resource-names.js';
import { ownedElsewhere, withControllers } from '../run/standalone.js';
import { CommandFailure, defineCommand, durationFlag, parseCommandLine, UsageError } from '../shared/command-runner.js';
import { interruptOnSignals } from '../shared/interrupt.js';
import { logFlags, logFlagsHelp, logOptions, stderrLogger } from '../shared/log-flags.js';
import { STATE_FLAG_HELP, stateOption, storeLocation, withStore, type StandaloneStore } from '../shared/state.js';
import { pollUntil } from '../shared/wait.js';

const DEFAULT_TIMEOUT = '5m';

const HELP = `Usage: polyfleet delete KIND NAME [--wait] [--timeout ${DEFAULT_TIMEOUT}] [--state FILE | --store etcd://HOST:PORT,...]

Deletes one object from a local state file (or etcd, --store). An object with finalizers (a NodePool, a Machine) is
only marked for deletion: the controllers terminate its instances, then the finalizers go and so
does the object. With --wait this command waits for that: if a \`polyfleet run\` owns the state
file (or leads on the etcd store), it does the work; otherwise this command runs the controllers itself until the object is
gone, then stops them. Without --wait, the next \`polyfleet run\` (or delete --wait) finishes it.

Kinds: ${resourceNamesHelp()}

Flags:
  --wait                return only once the object is gone (its finalizers have run)
  --timeout DURATION    how long --wait waits, e.g. 90s, 5m, 1h (default ${DEFAULT_TIMEOUT})
  -n, --namespace NS    the namespace (default "${DEFAULT_NAMESPACE}")
${STATE_FLAG_HELP}
  --sim-dir DIR         where the simulated cloud keeps its instances (default $POLYFLEET_SIM_DIR,
                        else .polyfleet/sim); used when --wait runs the controllers
${logFlagsHelp('warn', 'text', 'of the controllers --wait runs, on stderr')}
  -h, --help            this help

Exit status: 0 deleted (with --wait: gone), 1 not found, still there after --timeout or when
interrupted, or the store cannot be used, 2 usage error.
`;

const OPTIONS = {
  wait: { type: 'boolean', default: false },
  timeout: { type: 'string', default: DEFAULT_TIMEOUT },
  namespace: { type: 'string', short: 'n', default: DEFAULT_NAMESPACE },
  'sim-dir': { type: 'string' },
  ...stateOption,
  ...logOptions('warn', 'text'),
} as const;

export const deleteCommand = defineCommand({
  name: 'delete',
  summary: 'delete an object from a local state file or etcd; --wait until its finalizers have run',
  help: HELP,
  async run(argv, io) {
    const { values, positionals } = parseCommandLine(argv, OPTIONS);
    const [resourceName, name, ...extra] = positionals;
    if (resourceName === undefined || name === undefined) throw new UsageError('which object? e.g. polyfleet delete nodepool workers');
    if (extra.length > 0) throw new UsageError(`unexpected arguments: ${extra.join(' ')}`);
    const kind = resolveResource(resourceName);
    if (kind === undefined) throw new UsageError(`unknown kind "${resourceName}"`);
    const timeoutMs = durationFlag('timeout', values.timeout) ?? 0;
    const logging = logFlags(values);
    const key = { namespace: values.namespace, name };
    const location = storeLocation(values);
    const heldByFinalizers = await withStore(location, false, async (store) => {
      await deleteObject(store, kind, key);
      io.stdout(`${kind.singular}.polyfleet.io "${name}" deleted\n`);
      return (await store.get(kind.kind, key)) !== undefined;
    });
    if (!values.wait || !heldByFinalizers) return 0;
    const interrupt = interruptOnSignals();
    try {
      const wait = { kind, key, timeoutMs, signal: interrupt.signal, io };
      if (await ownedElsewhere(location)) {
        await withStore(location, false, (store) => waitUntilGone(store, { ...wait, elsewhere: true }));
      } else {
        const options = { location, log: stderrLogger(logging), simDir: resolveSimDir(values['sim-dir']) };
        await withControllers(options, (store) => waitUntilGone(store, { ...wait, elsewhere: false }));
      }
    } finally {
      interrupt.dispose();
    }
    return 0;
  },
});

async function deleteObject(store: StandaloneStore, kind: CrdKind, key: ObjectKey): Promise<void> {
  try {
    await store.delete(kind.kind, key);
  } catch (e) {
    if (isNotFound(e)) throw new CommandFailure(`${kind.plural} "${key.name}" not found in namespace "${key.namespace}"`);
    throw e;
  }
}

interface GoneWait {
  readonly kind: CrdKind;
  readonly key: ObjectKey;
  readonly timeoutMs: number;
  /** SIGINT or SIGTERM: stop waiting (and the controllers this process runs); the object stays marked for deletion. */
  readonly signal: AbortSignal;
  readonly io: CommandIo;
  /** A `polyfleet run` owns the state and does the work; else this process runs the controllers. */
  readonly elsewhere: boolean;
}

async function waitUntilGone(store: StandaloneStore, { kind, key, timeoutMs, signal, io, elsewhere }: GoneWait): Promise<void> {
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
    { timeoutMs, signal },
  );
  if (gone === undefined) {
    const when = signal.aborted ? 'when interrupted' : `after --timeout ${Math.round(timeoutMs / 1000)}s`;
    const who = elsewhere ? 'the `polyfleet run` that owns this state file finishes it' : 'the next `polyfleet run` or `polyfleet delete --wait` on this state file finishes it';
    throw new CommandFailure(`${kind.singular} "${key.name}" is still there ${when}, held by finalizers ${finalizers.join(', ') || '(none)'}; it stays marked for deletion, and ${who}`);
  }
}
