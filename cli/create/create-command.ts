import type { Machine } from '../../api/index.js';
import { resolveSimDir } from '../../providers/sim/index.js';
import { keyOf } from '../../runtime/store/index.js';
import { toMember } from '../members/index.js';
import { CREDENTIALS_HELP } from '../run/credentials-help.js';
import { ownedElsewhere, withControllers } from '../run/standalone.js';
import { applyResource, describeApplied } from '../shared/apply-objects.js';
import { defineCommand, durationFlag, intFlag, parseCommandLine, UsageError } from '../shared/command-runner.js';
import { interruptOnSignals } from '../shared/interrupt.js';
import { logFlags, logFlagsHelp, logOptions, stderrLogger } from '../shared/log-flags.js';
import { loadManifests } from '../shared/manifests.js';
import { STATE_FLAG_HELP, stateOption, storeLocation, withStore, type StandaloneStore } from '../shared/state.js';
import { textTable } from '../shared/text-table.js';
import { poolFor, strategyOf, withPreferences, type OneShotRequest } from './pool-from-strategy.js';
import { forgetVerdicts, waitForPool, type WaitOptions } from './pool-wait.js';

const DEFAULT_TIMEOUT = '10m';

const HELP = `Usage: polyfleet create -s STRATEGY_FILE -n N [--provider NAME] [--image IMAGE] [--state FILE | --store etcd://HOST:PORT,...]

One shot: applies the Strategy of STRATEGY_FILE and a NodePool named after it with N replicas (or
scales that pool to N), waits until its nodes run, and prints them. If a \`polyfleet run\` owns the
state file (or leads on the etcd store) it does the work and this command only applies and waits; otherwise this command runs
the controllers itself until the nodes run, then stops them (the nodes stay). It stops waiting at
once, exit 1 naming the cause, when the pool cannot progress for a reason waiting cannot fix: no
offering passes the Strategy's filters, its accounts' credentials are missing or refused or their
configuration is wrong, or the pool's spec is invalid. It keeps waiting through what passes
(capacity, throttling, an unreachable cloud).

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
${logFlagsHelp('warn', 'text', 'of the controllers this command runs, on stderr')}
  -h, --help            this help

${CREDENTIALS_HELP}
Exit status: 0 the nodes run, 1 a file cannot be used, the pool cannot progress, or the nodes did
not all run in time, 2 usage error.
`;

const OPTIONS = {
  strategy: { type: 'string', short: 's' },
  nodes: { type: 'string', short: 'n' },
  provider: { type: 'string' },
  image: { type: 'string' },
  timeout: { type: 'string', default: DEFAULT_TIMEOUT },
  'sim-dir': { type: 'string' },
  ...stateOption,
  ...logOptions('warn', 'text'),
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
    const logging = logFlags(values);
    const request: OneShotRequest = { replicas, ...(values.provider === undefined ? {} : { provider: values.provider }), ...(values.image === undefined ? {} : { image: values.image }) };
    const strategy = withPreferences(strategyOf(file, await loadManifests([file])), request, file);
    // The pool is named after the Strategy, in its namespace.
    const key = keyOf(strategy);
    const location = storeLocation(values);
    const apply = async (store: StandaloneStore): Promise<void> => {
      io.stderr(`${describeApplied(strategy)} ${await applyResource(store, strategy)}\n`);
      const pool = poolFor(strategy, replicas, await store.get('NodePool', key));
      io.stderr(`${describeApplied(pool)} ${await applyResource(store, pool)}\n`);
    };
    const interrupt = interruptOnSignals();
    const wait: WaitOptions = { timeoutMs, signal: interrupt.signal, io };
    let machines: Machine[];
    try {
      if (await ownedElsewhere(location)) {
        machines = await withStore(location, false, async (store) => {
          await apply(store);
          return waitForPool(store, key, wait);
        });
      } else {
        const beforeStart = async (store: StandaloneStore): Promise<void> => {
          await apply(store);
          await forgetVerdicts(store, key);
        };
        const options = { location, log: stderrLogger(logging), simDir: resolveSimDir(values['sim-dir']), beforeStart };
        machines = await withControllers(options, (store) => waitForPool(store, key, wait));
      }
    } finally {
      interrupt.dispose();
    }
    io.stdout(textTable(['NODE', 'ADDRESS', 'STATUS', 'PROVIDER', 'REGION', 'ZONE'], machines.map(toMember).map((m) => [m.node, m.address, m.status, m.provider, m.region, m.zone])));
    return 0;
  },
});
