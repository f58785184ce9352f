import { pino } from 'pino';
import { desiredMachineCount, type Machine, type NodePool } from '../../api/index.js';
import { resolveSimDir } from '../../providers/sim/index.js';
import { createLogger } from '../../runtime/log.js';
import { OwnedByError, type FileStore } from '../../runtime/store/file/index.js';
import { DEFAULT_NAMESPACE, keyOf, type ObjectKey } from '../../runtime/store/index.js';
import type { CommandIo } from '../command.js';
import { toMember } from '../members/index.js';
import { ProgressPrinter } from '../run/progress-printer.js';
import { checkNotOwned, startStandalone } from '../run/standalone.js';
import { applyResource, describeApplied } from '../shared/apply-objects.js';
import { CommandFailure, defineCommand, durationFlag, intFlag, parseCommandLine, UsageError } from '../shared/command-runner.js';
import { loadManifests } from '../shared/manifests.js';
import { STATE_FLAG_HELP, stateOption, withStateFile } from '../shared/state.js';
import { textTable } from '../shared/text-table.js';
import { pollUntil } from '../shared/wait.js';
import { poolFor, strategyOf, withPreferences, type OneShotRequest } from './pool-from-strategy.js';
import { CREDENTIALS_HELP } from '../run/credentials-help.js';

const DEFAULT_TIMEOUT = '10m';

const HELP = `Usage: polyfleet create -s STRATEGY_FILE -n N [--provider NAME] [--image IMAGE] [--state FILE]

One shot: applies the Strategy of STRATEGY_FILE and a NodePool named after it with N replicas (or
scales that pool to N), waits until its nodes run, and prints them. If a \`polyfleet run\` owns the
state file it does the work and this command only applies and waits; otherwise this command runs
the controllers itself until the nodes run, then stops them (the nodes stay).

Flags:
  -s, --strategy FILE   a YAML or JSON file with one Strategy
  -n, --nodes N         how many nodes the pool should have (the pool's replicas)
  --provider NAME       an account of the Strategy to try first: it moves to the front of the
                        providers and pick becomes "first", so another account is used only when
                        this one cannot serve
  --image IMAGE         the image to boot (for --provider's account, else for every account),
                        set in the Strategy's software.images
  --timeout DURATION    how long to wait for the nodes, e.g. 90s, 10m (default ${DEFAULT_TIMEOUT})
${STATE_FLAG_HELP}
  --sim-dir DIR         where the simulated cloud keeps its instances (default $POLYFLEET_SIM_DIR,
                        else .polyfleet/sim); used when this command runs the controllers
  -h, --help            this help

${CREDENTIALS_HELP}
Exit status: 0 the nodes run, 1 a file cannot be used or the nodes did not all run in time, 2 usage error.
`;

const OPTIONS = {
  strategy: { type: 'string', short: 's' },
  nodes: { type: 'string', short: 'n' },
  provider: { type: 'string' },
  image: { type: 'string' },
  timeout: { type: 'string', default: DEFAULT_TIMEOUT },
  'sim-dir': { type: 'string' },
  ...stateOption,
} as const;

export const createCommand = defineCommand({
  name: 'create',
  summary: 'one shot: create or scale a pool from a strategy file, wait until its nodes run, print them',
  help: HELP,
  async run(argv, io) {
    const { values, positionals } = parseCommandLine(argv, OPTIONS);
    if (positionals.length > 0) throw new UsageError(`unexpected argument ${JSON.stringify(positionals[0])}`);
    const file = values.strategy;
    if (file === undefined) throw new UsageError('which strategy? pass -s STRATEGY_FILE');
    const replicas = intFlag('nodes', values.nodes, 0, 10000);
    if (replicas === undefined) throw new UsageError('how many nodes? pass -n N');
    if (values.image?.trim() === '') throw new UsageError('--image must not be empty');
    const timeoutMs = durationFlag('timeout', values.timeout) ?? 0;
    const request: OneShotRequest = { replicas, ...(values.provider === undefined ? {} : { provider: values.provider }), ...(values.image === undefined ? {} : { image: values.image }) };
    const strategy = withPreferences(strategyOf(file, await loadManifests([file])), request, file);
    const apply = async (store: FileStore): Promise<ObjectKey> => {
      io.stderr(`${describeApplied(strategy)} ${await applyResource(store, strategy)}\n`);
      const key = keyOf(strategy);
      const pool = poolFor(strategy, replicas, await store.get('NodePool', key));
      io.stderr(`${describeApplied(pool)} ${await applyResource(store, pool)}\n`);
      return key;
    };
    const interrupt = interruptOnSignals();
    const wait: WaitOptions = { timeoutMs, signal: interrupt.signal, io };
    let machines: Machine[];
    try {
      machines = runsElsewhere(values.state)
        ? await withStateFile(values.state, false, async (store) => waitForPool(store, await apply(store), wait))
        : await runControllersUntilReady(values.state, values['sim-dir'], apply, wait);
    } finally {
      interrupt.dispose();
    }
    io.stdout(textTable(['NODE', 'ADDRESS', 'STATUS', 'PROVIDER', 'REGION', 'ZONE'], machines.map(toMember).map((m) => [m.node, m.address, m.status, m.provider, m.region, m.zone])));
    return 0;
  },
});

function runsElsewhere(state: string): boolean {
  try {
    checkNotOwned(state);
    return false;
  } catch (e) {
    if (e instanceof OwnedByError) return true;
    throw e;
  }
}

interface WaitOptions {
  readonly timeoutMs: number;
  /** Aborted by SIGINT or SIGTERM: stop waiting, stop the controllers gracefully, leave the pool as it is. */
  readonly signal: AbortSignal;
  readonly io: CommandIo;
}

function interruptOnSignals(): { signal: AbortSignal; dispose(): void } {
  const controller = new AbortController();
  const abort = (): void => {
    controller.abort();
  };
  process.once('SIGINT', abort);
  process.once('SIGTERM', abort);
  return {
    signal: controller.signal,
    dispose() {
      process.off('SIGINT', abort);
      process.off('SIGTERM', abort);
    },
  };
}

async function runControllersUntilReady(state: string, simDir: string | undefined, apply: (store: FileStore) => Promise<ObjectKey>, wait: WaitOptions): Promise<Machine[]> {
  let key: ObjectKey = { namespace: DEFAULT_NAMESPACE, name: '' };
  const standalone = await startStandalone({
    statePath: state,
    log: createLogger({ level: 'warn', destination: pino.destination(2) }),
    simDir: resolveSimDir(simDir),
    beforeStart: async (store) => {
      key = await apply(store);
    },
  });
  try {
    return await waitForPool(standalone.store, key, wait);
  } finally {
    await standalone.stop();
  }
}

/** Until every one of the pool's desired Machines runs and no other is left; progress on stderr. */
async function waitForPool(store: FileStore, key: ObjectKey, { timeoutMs, signal, io }: WaitOptions): Promise<Machine[]> {
  const printer = new ProgressPrinter(store, (line) => {
    io.stderr(`${line}\n`);
  });
  let pool: NodePool | undefined;
  let machines: Machine[] = [];
  try {
    const ready = await pollUntil(
      async () => {
        await store.refresh();
        pool = await store.get('NodePool', key);
        machines = (await store.list('Machine', { namespace: key.namespace })).filter((m) => m.spec.pool === key.name);
        return pool !== undefined && converged(pool, machines) ? machines : undefined;
      },
      { timeoutMs, signal },
    );
    if (ready !== undefined) return ready.sort((a, b) => a.spec.slot - b.spec.slot);
  } finally {
    printer.stop();
  }
  const running = machines.filter((m) => m.status?.phase === 'Running').length;
  const desired = pool === undefined ? '?' : String(desiredMachineCount(pool.spec.replicas, pool.spec.redundancy));
  const why = signal.aborted ? 'interrupted' : 'the --timeout ran out';
  throw new CommandFailure(`pool "${key.name}": ${running}/${desired} nodes running when ${why}; the pool stays as it is (see polyfleet describe nodepool ${key.name})`);
}

function converged(pool: NodePool, machines: readonly Machine[]): boolean {
  const desired = desiredMachineCount(pool.spec.replicas, pool.spec.redundancy);
  return machines.length === desired && machines.every((m) => m.metadata.deletionTimestamp === undefined && m.status?.phase === 'Running');
}
